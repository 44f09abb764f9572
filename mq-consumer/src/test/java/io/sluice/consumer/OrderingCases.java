package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Backoff;
import io.sluice.api.Message;
import io.sluice.api.Ordering;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ordering: KEY_ORDERED keeps each key in order; a stuck key blocks only itself. */
abstract class OrderingCases extends ConsumerCase {
  OrderingCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void keyOrderedKeepsOrderPerKeyUnderRetries() {
    topic("orders", 2);
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      batch.add(Message.builder(Integer.toString(i)).key("k" + (i % 6)).build());
    }
    sluice().producer().sendAll("orders", batch);
    Map<String, List<Integer>> order = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    group("billing", "orders")
        .ordering(Ordering.KEY_ORDERED)
        .concurrency(8)
        .retry(RetryPolicy.maxAttempts(5).backoff(NOW))
        .handler(
            d -> {
              AtomicInteger r = running.computeIfAbsent(d.key(), k -> new AtomicInteger());
              if (r.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              try {
                int n = Integer.parseInt(d.payloadAsString());
                if (n % 5 == 0 && d.attempt() < 3) {
                  throw new IllegalStateException("flaky " + n);
                }
                order.computeIfAbsent(d.key(), k -> new CopyOnWriteArrayList<>()).add(n);
              } finally {
                r.decrementAndGet();
              }
            })
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(overlaps.get()).isZero();
    assertThat(order).hasSize(6);
    order.values().forEach(list -> assertThat(list).hasSize(20).isSorted());
  }

  @Test
  void poisonKeyDoesNotBlockOtherKeys() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.builder("poison").key("bad").build());
    sluice().producer().send("orders", Message.builder("after-poison").key("bad").build());
    for (int i = 0; i < 30; i++) {
      sluice().producer().send("orders", Message.builder("ok" + i).key("good" + (i % 3)).build());
    }
    Set<String> done = ConcurrentHashMap.newKeySet();
    group("billing", "orders")
        .ordering(Ordering.KEY_ORDERED)
        .retry(RetryPolicy.maxAttempts(2).backoff(Backoff.fixed(Duration.ofHours(1))))
        .handler(
            d -> {
              if (d.payloadAsString().equals("poison")) {
                throw new IllegalStateException("poison");
              }
              done.add(d.payloadAsString());
            })
        .start();
    await().atMost(WAIT).until(() -> done.size() == 30);
    assertThat(done).doesNotContain("after-poison");
    clock().advance(Duration.ofHours(1));
    await().atMost(WAIT).until(() -> done.contains("after-poison"));
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 1);
  }
}
