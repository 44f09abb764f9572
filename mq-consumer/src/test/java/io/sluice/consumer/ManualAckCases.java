package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Manual acks: the handler settles each delivery through its Delivery. */
abstract class ManualAckCases extends ConsumerCase {
  ManualAckCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void manualAckSettlesOnlyWhenTheHandlerSaysSo() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("a"));
    sluice().producer().send("orders", Message.of("b"));
    List<Integer> bAttempts = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .manualAck()
        .lease(Duration.ofSeconds(1))
        .handler(
            d -> {
              if (d.payloadAsString().equals("a")) {
                d.ack();
                assertThatThrownBy(d::ack).isInstanceOf(StaleDeliveryException.class);
              } else {
                bAttempts.add(d.attempt());
                if (d.attempt() == 2) {
                  d.ack();
                }
              }
            })
        .start();
    await().atMost(WAIT).until(() -> bAttempts.size() == 1);
    await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> bAttempts.size() == 1);
    assertThat(lag("billing", "orders")).isEqualTo(1);
    clock().advance(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(bAttempts).containsExactly(1, 2);
  }

  @Test
  void manualAckAfterTheLeaseWasLostThrowsAndIsCountedOnce() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> ackError = new AtomicReference<>();
    ConsumerGroup g =
        group("billing", "orders")
            .manualAck()
            .lease(Duration.ofSeconds(1))
            .handler(
                d -> {
                  started.countDown();
                  go.await();
                  try {
                    d.ack();
                  } catch (StaleDeliveryException e) {
                    ackError.set(e);
                  }
                })
            .start();
    await().atMost(WAIT).until(() -> started.getCount() == 0);
    g.pause();
    clock().advance(Duration.ofSeconds(5));
    List<Lease> other =
        storage().claim(ClaimRequest.of("billing", "orders", 1, Duration.ofMinutes(1)));
    assertThat(other).singleElement().satisfies(l -> assertThat(l.attempt()).isEqualTo(2));
    go.countDown();
    await().atMost(WAIT).until(() -> ackError.get() != null);
    assertThat(stats().stale.get()).isEqualTo(1);
    assertThat(stats().acked.get()).isZero();
    assertThat(lag("billing", "orders")).isEqualTo(1);
  }

  @Test
  void manualNackRetryLaterAndDeadLetter() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("nack"));
    sluice().producer().send("orders", Message.of("later"));
    sluice().producer().send("orders", Message.of("dead"));
    Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
    group("billing", "orders")
        .manualAck()
        .handler(
            d -> {
              String p = d.payloadAsString();
              List<Integer> seen = attempts.computeIfAbsent(p, k -> new CopyOnWriteArrayList<>());
              seen.add(d.attempt());
              if (seen.size() > 1) {
                d.ack();
              } else if (p.equals("nack")) {
                d.nack(Duration.ofSeconds(5));
              } else if (p.equals("later")) {
                d.retryLater(Duration.ofSeconds(5));
              } else {
                d.deadLetter("invalid order");
              }
            })
        .start();
    await()
        .atMost(WAIT)
        .until(
            () ->
                stats().retried.get() == 1
                    && stats().deferred.get() == 1
                    && stats().deadLettered.get() == 1);
    assertThat(sluice().admin().deadLetters("orders.dlq", 5))
        .singleElement()
        .satisfies(dl -> assertThat(dl.reason()).isEqualTo("invalid order"));
    clock().advance(Duration.ofSeconds(5));
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(attempts.get("nack")).containsExactly(1, 2);
    assertThat(attempts.get("later")).containsExactly(1, 1);
    assertThat(attempts.get("dead")).containsExactly(1);
  }

  @Test
  void explicitLeaseExtensionKeepsTheMessage() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    CountDownLatch extended = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    group("billing", "orders")
        .manualAck()
        .lease(Duration.ofSeconds(1))
        .handler(
            d -> {
              d.extendLease(Duration.ofMinutes(10));
              extended.countDown();
              go.await();
              d.ack();
            })
        .start();
    await().atMost(WAIT).until(() -> extended.getCount() == 0);
    clock().advance(Duration.ofMinutes(5));
    assertThat(storage().claim(ClaimRequest.of("billing", "orders", 1, Duration.ofSeconds(1))))
        .isEmpty();
    go.countDown();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(stats().stale.get()).isZero();
  }
}
