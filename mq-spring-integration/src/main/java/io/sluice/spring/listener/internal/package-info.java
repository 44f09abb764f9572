/**
 * Internal: how {@code @SluiceListener} methods are invoked. Not supported for use outside Sluice;
 * may change without notice.
 */
package io.sluice.spring.listener.internal;
