/**
 * Internal to Sluice: not a supported API, and it may change in any release without notice. Other
 * Sluice modules use it; applications must not.
 */
package io.sluice.api.internal;
