/**
 * The storage technology compatibility kit, shipped in {@code mq-api}'s test-jar: {@link
 * io.sluice.spi.tck.StorageContract} (the behaviour every {@link io.sluice.spi.Storage} must show),
 * {@link io.sluice.spi.tck.InMemoryStorage} (a reference backend for fast tests), {@link
 * io.sluice.spi.tck.SettableClock} and {@link io.sluice.spi.tck.ServiceStress}.
 */
package io.sluice.spi.tck;
