package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Backoff;
import io.sluice.api.Message;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clocks (RELIABILITY F20): the runtime hands the store delays, and the store alone turns them into
 * times on its own clock, so a retry is as far away as the backoff says whatever the runtime's
 * clock says: never early, and late by no more than the store's time resolution (1 ms allowed).
 */
abstract class ClockCases extends ConsumerCase {
  ClockCases(ConsumerContract contract) {
    super(contract);
  }

  @ParameterizedTest(name = "store clock {0} s from the runtime's")
  @ValueSource(longs = {5, -5})
  void retriesComeBackAfterTheBackoffOnTheStoresClock(long skewSeconds) throws Exception {
    Duration skew = Duration.ofSeconds(skewSeconds);
    contract().reopen(() -> clock().instant().plus(skew));
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    AtomicInteger calls = new AtomicInteger();
    Backoff backoff = new Backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 0.2);
    group("billing", "orders")
        .retry(RetryPolicy.maxAttempts(3).backoff(backoff))
        .handler(
            d -> {
              calls.incrementAndGet();
              throw new IllegalStateException("down");
            })
        .start();
    for (int retry = 1; retry <= 2; retry++) {
      int before = retry;
      await().atMost(WAIT).until(() -> stats().retried.get() == before);
      Duration delay = stats().retryDelays.get(retry - 1);
      Duration base = backoff.baseDelay(retry);
      assertThat(delay).isBetween(base.multipliedBy(8).dividedBy(10), base);
      clock().advance(delay.minusMillis(1));
      await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> calls.get() == before);
      clock().advance(Duration.ofMillis(2)); // due; a store may round the time up to a microsecond
      await().atMost(WAIT).until(() -> calls.get() == before + 1);
    }
    await().atMost(WAIT).until(() -> stats().deadLettered.get() == 1);
    assertThat(calls.get()).isEqualTo(3);
  }
}
