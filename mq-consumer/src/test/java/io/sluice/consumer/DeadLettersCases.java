package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.spi.OutgoingMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dead letters: exhausted and not-retryable messages, their headers, redrive and purge. */
abstract class DeadLettersCases extends ConsumerCase {
  DeadLettersCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void failingHandlerIsRetriedThenDeadLetteredWithHeaders() {
    topic("orders", 2);
    Receipt r = sluice().producer().send("orders", Message.builder("bad").key("k").build());
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .retry(RetryPolicy.maxAttempts(3).backoff(NOW))
        .handler(
            d -> {
              attempts.add(d.attempt());
              throw new IllegalStateException("card declined");
            })
        .start();
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 1);
    assertThat(attempts).containsExactly(1, 2, 3);
    DeadLetter dl = sluice().admin().deadLetters("orders.dlq", 10).get(0);
    assertThat(dl.originalTopic()).isEqualTo("orders");
    assertThat(dl.originalPartition()).isEqualTo(r.partition());
    assertThat(dl.originalOffset()).isEqualTo(r.offset());
    assertThat(dl.group()).isEqualTo("billing");
    assertThat(dl.attempts()).isEqualTo(3);
    assertThat(dl.errorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(dl.errorMessage()).isEqualTo("card declined");
    assertThat(dl.reason()).isEqualTo("exhausted");
    assertThat(dl.firstFailureAt()).isEqualTo(clock().instant());
    assertThat(dl.lastFailureAt()).isEqualTo(clock().instant());
    assertThat(dl.message().payloadAsString()).isEqualTo("bad");
    assertThat(dl.message().key()).isEqualTo("k");
    assertThat(dl.message().headers().lastValue(DeadLetterHeaders.TOPIC)).contains("orders");
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    await().atMost(WAIT).until(() -> stats().deadLettered.get() >= 1); // told after the store
    assertThat(stats().retried.get()).isEqualTo(2);
    assertThat(stats().deadLettered.get()).isEqualTo(1);
  }

  @Test
  void notRetryableExceptionGoesStraightToTheDeadLetterTopic() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("bad"));
    AtomicInteger calls = new AtomicInteger();
    group("billing", "orders")
        .retry(RetryPolicy.maxAttempts(5).backoff(NOW).notRetryable(IllegalArgumentException.class))
        .deadLetterTopic("billing-failures")
        .handler(
            d -> {
              calls.incrementAndGet();
              throw new IllegalArgumentException("malformed");
            })
        .start();
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("billing-failures") == 1);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(sluice().admin().deadLetters("billing-failures", 1).get(0).reason())
        .isEqualTo("not-retryable");
  }

  @Test
  void withoutDeadLetterTopicExhaustedMessagesAreDropped() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("bad"));
    group("billing", "orders")
        .retry(RetryPolicy.none())
        .noDeadLetterTopic()
        .handler(
            d -> {
              throw new IllegalStateException("no");
            })
        .start();
    await().atMost(WAIT).until(() -> stats().deadLettered.get() == 1);
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(sluice().admin().listTopics()).extracting(t -> t.name()).containsExactly("orders");
  }

  @Test
  void redriveDeliversOnlyToTheGroupThatFailed() {
    topic("orders", 2);
    sluice()
        .producer()
        .send("orders", Message.builder("o-1").key("a").idempotencyKey("o-1").build());
    sluice().producer().send("orders", Message.builder("o-2").key("b").build());
    AtomicInteger failing = new AtomicInteger(1);
    List<String> billing = new CopyOnWriteArrayList<>();
    List<String> audit = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .retry(RetryPolicy.none())
        .handler(
            d -> {
              if (d.payloadAsString().equals("o-1") && failing.get() == 1) {
                throw new IllegalStateException("gateway down");
              }
              billing.add(d.payloadAsString());
            })
        .start();
    group("audit", "orders").handler(d -> audit.add(d.payloadAsString())).start();
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 1);
    await().atMost(WAIT).until(() -> audit.size() == 2 && billing.size() == 1);
    failing.set(0);
    assertThat(sluice().admin().redrive("orders.dlq")).isEqualTo(1);
    await().atMost(WAIT).until(() -> billing.size() == 2);
    await().atMost(WAIT).until(() -> stats().redriveSkipped.get() == 1);
    assertThat(audit).containsExactlyInAnyOrder("o-1", "o-2");
    assertThat(billing).containsExactlyInAnyOrder("o-2", "o-1");
    assertThat(sluice().admin().countDeadLetters("orders.dlq")).isZero();
    assertThat(sluice().admin().redrive("orders.dlq")).isZero();
    assertThat(storage().isProcessed("billing", "orders", "o-1")).isTrue();
  }

  @Test
  void concurrentRedrivesEnqueueEachEntryOnce() throws Exception {
    topic("orders", 1);
    produce("orders", 30);
    ConsumerGroup g =
        group("billing", "orders")
            .retry(RetryPolicy.none())
            .handler(
                d -> {
                  throw new IllegalStateException("down");
                })
            .start();
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 30);
    g.pause();
    long end = storage().describeTopic("orders").partitions().get(0).endOffset();
    List<Thread> threads = new ArrayList<>();
    AtomicInteger moved = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      threads.add(
          Thread.ofPlatform().start(() -> moved.addAndGet(sluice().admin().redrive("orders.dlq"))));
    }
    for (Thread t : threads) {
      t.join(WAIT.toMillis());
    }
    assertThat(moved.get()).isEqualTo(30);
    assertThat(storage().describeTopic("orders").partitions().get(0).endOffset())
        .isEqualTo(end + 30);
    assertThat(sluice().admin().countDeadLetters("orders.dlq")).isZero();
  }

  @Test
  void redriveByPredicateAndPurge() {
    topic("orders", 1);
    for (int i = 0; i < 6; i++) {
      sluice().producer().send("orders", Message.of("m" + i));
    }
    ConsumerGroup g =
        group("billing", "orders")
            .retry(RetryPolicy.none())
            .handler(
                d -> {
                  throw new IllegalStateException(d.payloadAsString());
                })
            .start();
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 6);
    g.pause();
    int moved = sluice().admin().redrive("orders.dlq", d -> d.errorMessage().compareTo("m3") < 0);
    assertThat(moved).isEqualTo(3);
    assertThat(sluice().admin().deadLetters("orders.dlq", 10))
        .extracting(DeadLetter::errorMessage)
        .containsExactlyInAnyOrder("m3", "m4", "m5");
    assertThat(sluice().admin().purge("orders.dlq")).isEqualTo(3);
    assertThat(sluice().admin().countDeadLetters("orders.dlq")).isZero();
    assertThat(sluice().admin().deadLetters("missing.dlq", 10)).isEmpty();
  }

  @Test
  void aRedriveMovesOnlyWhatWasDeadLetteredBeforeItBegan() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("always fails"));
    ConsumerGroup g =
        group("billing", "orders")
            .retry(RetryPolicy.none())
            .handler(
                d -> {
                  throw new IllegalStateException("still broken");
                })
            .start();
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 1);
    g.close();
    Message entry = sluice().admin().deadLetters("orders.dlq", 1).get(0).message();
    // The moment the redrive puts the message back, it fails again and lands in the DLQ anew
    // (a consumer faster than the redrive loop). Once only, so a runaway redrive still ends.
    AtomicBoolean refailed = new AtomicBoolean();
    storage().beforeAppend =
        batch -> {
          boolean redriven =
              batch
                  .get(0)
                  .message()
                  .headers()
                  .lastValue(DeadLetterHeaders.REDRIVE_GROUP)
                  .isPresent();
          if (redriven && refailed.compareAndSet(false, true)) {
            Message again = entry.toBuilder().idempotencyKey("refailed-1").build();
            storage().append("orders.dlq", List.of(OutgoingMessage.of(again)));
          }
        };
    assertThat(sluice().admin().redrive("orders.dlq")).isEqualTo(1);
    assertThat(refailed).isTrue();
    assertThat(sluice().admin().countDeadLetters("orders.dlq"))
        .as("the new failure waits")
        .isEqualTo(1);
    assertThat(sluice().admin().purge("orders.dlq")).isEqualTo(1);
  }
}
