package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.Position;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Idempotency: processed keys are skipped; a transactional handler acks with its work. */
abstract class IdempotencyCases extends ConsumerCase {
  IdempotencyCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void alreadyProcessedIdempotencyKeyIsSkippedOnReplay() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.builder("o1").idempotencyKey("o-1").build());
    sluice().producer().send("orders", Message.builder("o2").build());
    AtomicInteger calls = new AtomicInteger();
    group("billing", "orders").handler(d -> calls.incrementAndGet()).start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(calls.get()).isEqualTo(2);
    sluice().admin().seek("billing", "orders", 0, Position.EARLIEST);
    await().atMost(WAIT).until(() -> stats().duplicates.get() == 1 && calls.get() == 3);
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> calls.get() == 3);
  }

  @Test
  void transactionalHandlerAcksAfterItsWork() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.builder("o1").idempotencyKey("o-1").build());
    AtomicInteger calls = new AtomicInteger();
    sluice()
        .consumer("billing")
        .subscribe("orders")
        .pollInterval(Duration.ofMillis(5))
        .transactionalHandler(
            (d, tx) -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("roll back");
              }
            })
        .retry(RetryPolicy.maxAttempts(3).backoff(NOW))
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(storage().isProcessed("billing", "orders", "o-1")).isTrue();
  }
}
