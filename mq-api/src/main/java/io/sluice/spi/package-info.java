/**
 * The storage SPI: what a backend implements so that the consumer runtime can run on it. Every
 * backend passes the shared {@code StorageContract} suite (in {@code mq-api}'s test-jar), which is
 * the executable form of the guarantees stated on {@link io.sluice.spi.Storage}.
 */
@Evolving
package io.sluice.spi;
