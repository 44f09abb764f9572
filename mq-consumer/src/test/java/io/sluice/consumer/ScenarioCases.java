package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The seed scenario: orders with a flaky payment gateway, end to end. */
abstract class ScenarioCases extends ConsumerCase {
  ScenarioCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void seedScenarioEveryOrderIsProcessedOnceOrDeadLettered() {
    sluice().admin().createTopic("orders", TopicConfig.partitions(4));
    int orders = seedOrders();
    List<CompletableFuture<Receipt>> sends = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      Message m =
          Message.builder("order-" + i)
              .key("customer-" + (i % 37))
              .idempotencyKey("o-" + i)
              .build();
      sends.add(sluice().producer().sendAsync("orders", m));
      if (i % 10 == 0) {
        sends.add(sluice().producer().sendAsync("orders", m));
      }
    }
    sends.forEach(CompletableFuture::join);
    java.util.Random random = new java.util.Random(42);
    Map<String, AtomicInteger> paid = new ConcurrentHashMap<>();
    group("billing", "orders")
        .concurrency(8)
        .ordering(Ordering.KEY_ORDERED)
        .retry(RetryPolicy.maxAttempts(3).backoff(NOW).notRetryable(IllegalArgumentException.class))
        .handler(
            d -> {
              boolean fails;
              synchronized (random) {
                fails = random.nextDouble() < 0.3;
              }
              if (fails) {
                throw new IllegalStateException("payment gateway timeout");
              }
              paid.computeIfAbsent(d.payloadAsString(), k -> new AtomicInteger()).incrementAndGet();
            })
        .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> lag("billing", "orders") == 0);
    await().atMost(WAIT).until(() -> stats().acked.get() + stats().deadLettered.get() == orders);
    Set<String> dead = ConcurrentHashMap.newKeySet();
    for (DeadLetter dl : sluice().admin().deadLetters("orders.dlq", orders)) {
      assertThat(dead.add(dl.message().payloadAsString())).isTrue();
      assertThat(dl.attempts()).isEqualTo(3);
    }
    assertThat(paid.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    assertThat(paid.keySet()).doesNotContainAnyElementsOf(dead);
    assertThat(paid.size() + dead.size()).isEqualTo(orders);
    assertThat(stats().acked.get()).isEqualTo(paid.size());
    assertThat(stats().deadLettered.get()).isEqualTo(dead.size());
    assertThat(stats().delivered.get()).isEqualTo(stats().settled());
    assertThat(dead).isNotEmpty();
  }
}
