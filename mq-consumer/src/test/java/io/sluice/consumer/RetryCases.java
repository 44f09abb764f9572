package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Backoff;
import io.sluice.api.Message;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retry: failing handlers are retried after the policy's backoff. */
abstract class RetryCases extends ConsumerCase {
  RetryCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void backoffDelaysFollowThePolicyOnTheClock() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    AtomicInteger calls = new AtomicInteger();
    Backoff backoff = Backoff.exponential(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1));
    group("billing", "orders")
        .retry(RetryPolicy.maxAttempts(3).backoff(backoff))
        .handler(
            d -> {
              calls.incrementAndGet();
              throw new IllegalStateException("down");
            })
        .start();
    await().atMost(WAIT).until(() -> stats().retried.get() == 1);
    assertThat(stats().retryDelays).containsExactly(Duration.ofSeconds(10));
    clock().advance(Duration.ofMillis(9_900));
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> calls.get() == 1);
    clock().advance(Duration.ofMillis(100));
    await().atMost(WAIT).until(() -> stats().retried.get() == 2);
    assertThat(stats().retryDelays).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20));
    clock().advance(Duration.ofMillis(19_999));
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> calls.get() == 2);
    clock().advance(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> stats().deadLettered.get() == 1);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void jitteredBackoffStaysWithinItsBounds() {
    topic("orders", 1);
    for (int i = 0; i < 20; i++) {
      sluice().producer().send("orders", Message.of("x" + i));
    }
    group("billing", "orders")
        .retry(RetryPolicy.maxAttempts(2).backoff(Backoff.DEFAULT))
        .handler(
            d -> {
              throw new IllegalStateException("down");
            })
        .start();
    await().atMost(WAIT).until(() -> stats().retried.get() == 20);
    assertThat(stats().retryDelays)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1)));
    assertThat(Set.copyOf(stats().retryDelays)).hasSizeGreaterThan(1);
  }

  @Test
  void poisonMessageDoesNotBlockTheGroup() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("poison"));
    produce("orders", 50);
    AtomicInteger good = new AtomicInteger();
    group("billing", "orders")
        .retry(RetryPolicy.maxAttempts(3).backoff(Backoff.fixed(Duration.ofHours(1))))
        .handler(
            d -> {
              if (d.payloadAsString().equals("poison")) {
                throw new IllegalStateException("poison");
              }
              good.incrementAndGet();
            })
        .start();
    await().atMost(WAIT).until(() -> good.get() == 50);
    // Lag counts messages not done (SPI v2): the 50 acked after the poison message do not count.
    await().atMost(WAIT).until(() -> lag("billing", "orders") <= 1);
    assertThat(lag("billing", "orders")).isEqualTo(1);
  }
}
