/**
 * The entry point, {@link io.sluice.Sluice}: producers, consumer groups and admin over one {@link
 * io.sluice.spi.Storage}.
 */
package io.sluice;
