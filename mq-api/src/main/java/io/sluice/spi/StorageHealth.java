package io.sluice.spi;

/**
 * Whether the store can serve requests.
 *
 * @param healthy true when reachable and not failed
 * @param detail a human-readable description (backend, location, or the failure)
 */
public record StorageHealth(boolean healthy, String detail) {}
