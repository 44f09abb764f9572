package io.sluice.benchmarks.soak;

import io.sluice.Sluice;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The soak's manual-ack member of group {@value SoakChild#GROUP} on {@value SoakChild#WORK}. For
 * each delivery of {@code w:<id>[:poison]} its handler writes, in this order: {@code H <round> <id>
 * <attempt>} when it starts, {@code P <round> <id>} once the message is processed (before the ack),
 * and {@code A <round> <id>} after {@code ack()} returned (a manual ack waits until the store
 * applied it). A poison message hangs its handler when {@code hangOnPoison}, so that it is in
 * flight at every kill until its attempts are used up and it is dead-lettered as abandoned.
 */
final class SoakConsumer {
  /** How long a delivery is leased; a killed member's messages come back after this. */
  static final Duration LEASE = Duration.ofSeconds(2);

  private SoakConsumer() {}

  static ConsumerGroup start(
      Sluice sluice,
      String round,
      int concurrency,
      int maxAttempts,
      LineLog log,
      boolean hangOnPoison,
      Runnable onStart) {
    return sluice
        .consumer(SoakChild.GROUP)
        .subscribe(SoakChild.WORK)
        .manualAck()
        .concurrency(concurrency)
        .lease(LEASE)
        .retry(RetryPolicy.maxAttempts(maxAttempts))
        .handler(
            d -> {
              // First, and cheaply: StringBuilder, not string concatenation, whose first use in a
              // fresh JVM bootstraps call sites for tens of milliseconds and would widen the gap
              // between the runtime's start mark and this line.
              log.append(line("H ", round, d.partition(), d.offset(), d.attempt()));
              onStart.run();
              String[] f = d.payloadAsString().split(":");
              if (hangOnPoison && f.length > 2) {
                new CountDownLatch(1).await();
              }
              log.append(line("P ", round, d.partition(), d.offset(), -1));
              d.ack();
              log.append(line("A ", round, d.partition(), d.offset(), -1));
            })
        .start();
  }

  /** {@code <kind><round> <partition> <offset>[ <attempt>]}. */
  private static String line(String kind, String round, int partition, long offset, int attempt) {
    StringBuilder b = new StringBuilder(48).append(kind).append(round);
    b.append(' ').append(partition).append(' ').append(offset);
    if (attempt >= 0) {
      b.append(' ').append(attempt);
    }
    return b.toString();
  }
}
