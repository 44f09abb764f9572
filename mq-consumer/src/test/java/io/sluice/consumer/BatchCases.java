package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.spi.AckRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Batch handlers: batches up to the size, acks together, a failure retries each delivery (a retry
 * alone), per-message outcomes, key order, and one store transaction per transactional batch.
 */
abstract class BatchCases extends ConsumerCase {
  BatchCases(ConsumerContract contract) {
    super(contract);
  }

  private List<Message> messages(int count, int keys) {
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(Message.builder("m-" + i).key("k-" + (i % keys)).build());
    }
    return batch;
  }

  @Test
  void batchesAreAtMostTheSizeAndEveryMessageIsAckedOnce() {
    topic("orders", 2);
    sluice().producer().sendAll("orders", messages(300, 11));
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    group("billing", "orders")
        .concurrency(2)
        .maxBatchSize(40)
        .maxBatchWait(Duration.ofMillis(20))
        .batchHandler(
            batch -> {
              sizes.add(batch.size());
              for (Delivery d : batch) {
                if (!seen.add(d.payloadAsString())) {
                  duplicates.incrementAndGet();
                }
              }
            })
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(seen).hasSize(300);
    assertThat(duplicates.get()).isZero();
    assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, 40));
    assertThat(sizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
    assertAcked(300);
  }

  @Test
  void aThrowingBatchRetriesEachDeliveryAndAPoisonMessageDeadLettersAlone() {
    topic("orders", 1);
    List<Message> batch = new ArrayList<>(messages(9, 3));
    batch.add(4, Message.of("poison"));
    sluice().producer().sendAll("orders", batch);
    List<List<String>> calls = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .maxBatchSize(20)
        .maxBatchWait(Duration.ofMillis(50))
        .retry(RetryPolicy.maxAttempts(3).backoff(NOW))
        .batchHandler(
            b -> {
              List<String> payloads = b.stream().map(Delivery::payloadAsString).toList();
              calls.add(payloads);
              if (payloads.contains("poison")) {
                throw new IllegalStateException("poison in the batch");
              }
            })
        .start();
    await().atMost(WAIT).until(() -> stats().deadLettered.get() == 1);
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(stats().deadLetterReasons).containsExactly("exhausted");
    // After the first failure every retry ran alone: the poison twice more, the others once.
    List<List<String>> retries = calls.subList(1, calls.size());
    assertThat(retries).allSatisfy(c -> assertThat(c).hasSize(1));
    assertThat(retries.stream().filter(c -> c.contains("poison"))).hasSize(2);
    assertAcked(9);
  }

  @Test
  void theHandlerMaySettleSingleDeliveriesAndTheOthersAreAcked() {
    topic("orders", 1);
    sluice().producer().sendAll("orders", messages(6, 6));
    group("billing", "orders")
        .maxBatchSize(10)
        .maxBatchWait(Duration.ofMillis(100))
        .batchHandler(
            b -> {
              for (Delivery d : b) {
                if (d.payloadAsString().equals("m-2")) {
                  d.deadLetter("bad order");
                }
              }
            })
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    await().atMost(WAIT).until(() -> stats().deadLettered.get() >= 1); // told after the store
    assertThat(stats().deadLetterReasons).containsExactly("bad order");
    assertAcked(5);
  }

  @Test
  void keyOrderedBatchesHoldOneMessagePerKeyAndKeepEachKeysOrder() {
    topic("orders", 1);
    sluice().producer().sendAll("orders", messages(120, 4));
    Map<String, List<Long>> order = new ConcurrentHashMap<>();
    AtomicInteger sameKeyTwice = new AtomicInteger();
    group("billing", "orders")
        .ordering(Ordering.KEY_ORDERED)
        .concurrency(4)
        .maxBatchSize(10)
        .maxBatchWait(Duration.ofMillis(5))
        .batchHandler(
            b -> {
              Set<String> keys = new HashSet<>();
              for (Delivery d : b) {
                if (!keys.add(d.key())) {
                  sameKeyTwice.incrementAndGet();
                }
                order.computeIfAbsent(d.key(), k -> new CopyOnWriteArrayList<>()).add(d.offset());
              }
            })
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(sameKeyTwice.get()).isZero();
    assertThat(order).hasSize(4);
    order.values().forEach(offsets -> assertThat(offsets).isSorted().hasSize(30));
  }

  @Test
  void aTransactionalBatchCommitsItsWorkWithTheAcksOrNeither() throws Exception {
    boolean transactions = storage().capabilities().transactions();
    String table = "batch_effects_" + Long.toHexString(System.nanoTime());
    if (transactions) {
      storage()
          .inTransaction(
              new AckRequest("setup", List.of()),
              tx -> {
                try (Statement s = tx.unwrap(Connection.class).orElseThrow().createStatement()) {
                  s.execute("CREATE TABLE " + table + " (payload VARCHAR(40) PRIMARY KEY)");
                }
                return null;
              });
    }
    topic("orders", 1);
    List<Message> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add(Message.builder("o-" + i).idempotencyKey("o-" + i).build());
    }
    sluice().producer().sendAll("orders", sent);
    AtomicInteger calls = new AtomicInteger();
    Map<String, Integer> handled = new ConcurrentHashMap<>();
    group("billing", "orders")
        .maxBatchSize(25)
        .maxBatchWait(Duration.ofMillis(50))
        .retry(RetryPolicy.maxAttempts(3).backoff(NOW))
        .transactionalBatchHandler(
            (batch, tx) -> {
              for (Delivery d : batch) {
                handled.merge(d.payloadAsString(), 1, Integer::sum);
                if (transactions) {
                  try (PreparedStatement p =
                      tx.unwrap(Connection.class)
                          .orElseThrow()
                          .prepareStatement("INSERT INTO " + table + " (payload) VALUES (?)")) {
                    p.setString(1, d.payloadAsString());
                    p.executeUpdate();
                  }
                }
              }
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("fails after its writes: rolled back");
              }
            })
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    for (Message m : sent) {
      assertThat(storage().isProcessed("billing", "orders", m.idempotencyKey())).isTrue();
    }
    if (transactions) {
      assertThat(effects(table)).hasSize(50).doesNotHaveDuplicates();
    }
    assertAcked(50);
  }

  private List<String> effects(String table) throws Exception {
    return storage()
        .inTransaction(
            new AckRequest("setup", List.of()),
            tx -> {
              List<String> rows = new ArrayList<>();
              try (Statement s = tx.unwrap(Connection.class).orElseThrow().createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT payload FROM " + table)) {
                  while (r.next()) {
                    rows.add(r.getString(1));
                  }
                }
                s.execute("DROP TABLE " + table);
              }
              return rows;
            });
  }

  @Test
  void settlingInsideATransactionalBatchIsRefused() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    AtomicReference<Throwable> refused = new AtomicReference<>();
    AtomicInteger calls = new AtomicInteger();
    group("billing", "orders")
        .maxBatchWait(Duration.ZERO)
        .retry(RetryPolicy.maxAttempts(3).backoff(NOW))
        .transactionalBatchHandler(
            (batch, tx) -> {
              if (calls.incrementAndGet() == 1) {
                try {
                  batch.get(0).ack();
                } catch (IllegalStateException e) {
                  refused.set(e);
                }
              }
            })
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(refused.get()).hasMessageContaining("transactional batch");
    assertThat(calls.get()).isEqualTo(1);
    assertAcked(1);
  }

  @Test
  void aBatchPastMaxHandlerTimeFailsEachOfItsDeliveriesAsAnAttempt() {
    topic("orders", 1);
    sluice().producer().sendAll("orders", messages(3, 3));
    List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .maxBatchSize(10)
        .maxBatchWait(Duration.ofMillis(100))
        .maxHandlerTime(Duration.ofSeconds(5))
        .retry(RetryPolicy.maxAttempts(2).backoff(NOW))
        .batchHandler(
            b -> {
              calls.add(b.stream().map(Delivery::attempt).toList());
              if (calls.size() == 1) {
                new CountDownLatch(1).await(); // ends with the interrupt
              }
            })
        .start();
    await().atMost(WAIT).until(() -> calls.size() == 1);
    int first = calls.get(0).size();
    clock().advance(Duration.ofSeconds(5));
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(stats().retried.get()).isEqualTo(first);
    assertThat(stats().retryFailures)
        .allSatisfy(e -> assertThat(e).isInstanceOf(TimeoutException.class));
    assertThat(calls.subList(1, calls.size()).stream().flatMap(List::stream).filter(a -> a == 2))
        .hasSize(first);
    assertAcked(3);
  }

  /**
   * Exactly {@code n} acks reported. The listener hears of an ack after the store applied it, so a
   * lag of 0 can be seen first: wait for the count, then check it did not overshoot.
   */
  private void assertAcked(int n) {
    await().atMost(WAIT).until(() -> stats().acked.get() >= n);
    assertThat(stats().acked.get()).isEqualTo(n);
  }
}
