/**
 * Internal: support classes of {@code io.sluice.spring.core}. Not supported for use outside Sluice;
 * may change without notice.
 */
package io.sluice.spring.core.internal;
