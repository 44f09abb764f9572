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
      boolean hangOnPoison) {
    return sluice
        .consumer(SoakChild.GROUP)
        .subscribe(SoakChild.WORK)
        .manualAck()
        .concurrency(concurrency)
        .lease(LEASE)
        .retry(RetryPolicy.maxAttempts(maxAttempts))
        .handler(
            d -> {
              String[] f = d.payloadAsString().split(":");
              long id = Long.parseLong(f[1]);
              log.append("H " + round + " " + id + " " + d.attempt());
              if (hangOnPoison && f.length > 2) {
                new CountDownLatch(1).await();
              }
              log.append("P " + round + " " + id);
              d.ack();
              log.append("A " + round + " " + id);
            })
        .start();
  }
}
