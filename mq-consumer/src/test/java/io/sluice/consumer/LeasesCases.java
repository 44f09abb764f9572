package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Leases and fencing: extension while a handler runs, expiry, late acks, deliveries that waited
 * past their lease.
 */
abstract class LeasesCases extends ConsumerCase {
  LeasesCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void leaseOfALongHandlerIsExtendedAutomatically() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("slow"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    group("billing", "orders")
        .lease(Duration.ofSeconds(1))
        .handler(
            d -> {
              calls.incrementAndGet();
              release.await();
            })
        .start();
    await().atMost(WAIT).until(() -> calls.get() == 1);
    for (int i = 0; i < 6; i++) {
      int before = storage().extends_.get();
      clock().advance(Duration.ofMillis(600));
      await().atMost(WAIT).until(() -> storage().extends_.get() > before);
    }
    List<Lease> stolen =
        storage().claim(ClaimRequest.of("billing", "orders", 10, Duration.ofSeconds(1)));
    assertThat(stolen).isEmpty();
    release.countDown();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(stats().stale.get()).isZero();
  }

  @Test
  void expiredLeaseIsRedeliveredAndTheLateAckIsRejectedAndCounted() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("slow"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger firstCalls = new AtomicInteger();
    ConsumerGroup first =
        group("billing", "orders")
            .lease(Duration.ofSeconds(1))
            .handler(
                d -> {
                  firstCalls.incrementAndGet();
                  release.await();
                })
            .start();
    await().atMost(WAIT).until(() -> firstCalls.get() == 1);
    first.pause();
    clock().advance(Duration.ofSeconds(5));
    CountingListener second = new CountingListener();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders").listener(second).handler(d -> attempts.add(d.attempt())).start();
    await().atMost(WAIT).until(() -> second.acked.get() == 1);
    assertThat(attempts).containsExactly(2);
    release.countDown();
    await().atMost(WAIT).until(() -> stats().stale.get() == 1);
    assertThat(stats().acked.get()).isZero();
    assertThat(lag("billing", "orders")).isZero();
  }

  @Test
  void aDeliveryWhoseLeasePassedBeforeItStartedIsHandedBackUnstarted() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("late"));
    // The clock passes the runtime's lease end (counted from before the claim call) while the
    // claim is under way, so the store's lease is still good: the delivery must not start, and
    // must be handed back rather than wait for the store's expiry (which this clock never reaches).
    AtomicBoolean stepped = new AtomicBoolean();
    storage().beforeClaim =
        request -> {
          if (stepped.compareAndSet(false, true)) {
            clock().advance(Duration.ofMillis(1_500));
          }
        };
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .lease(Duration.ofSeconds(1))
        .handler(d -> attempts.add(d.attempt()))
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(stepped).isTrue();
    assertThat(attempts).as("the unstarted claim's attempt is taken back").containsExactly(1);
    assertThat(stats().delivered.get()).isEqualTo(1);
    assertThat(stats().released.get()).isZero();
  }

  /**
   * Nothing hangs forever: a handler that ignores time is interrupted after {@code maxHandlerTime},
   * its delivery is retried as a failed attempt (and no longer extended), and its handler slot goes
   * to the next delivery even while the handler, ignoring the interrupt, goes on.
   */
  @Test
  void aHandlerRunningPastMaxHandlerTimeIsInterruptedAndItsDeliveryRetried() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("hangs"));
    AtomicBoolean release = new AtomicBoolean();
    AtomicBoolean interrupted = new AtomicBoolean();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .concurrency(1)
        .maxHandlerTime(Duration.ofSeconds(2))
        .retry(RetryPolicy.maxAttempts(3).backoff(NOW))
        .handler(
            d -> {
              attempts.add(d.attempt());
              while (d.attempt() == 1 && !release.get()) {
                if (Thread.interrupted()) {
                  interrupted.set(true); // and goes on regardless
                }
                LockSupport.parkNanos(1_000_000);
              }
            })
        .start();
    await().atMost(WAIT).until(() -> attempts.size() == 1);
    clock().advance(Duration.ofMillis(1_999));
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> stats().retried.get() == 0);
    clock().advance(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    await().atMost(WAIT).until(() -> stats().retried.get() == 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(stats().retryFailures)
        .singleElement()
        .isInstanceOf(TimeoutException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains("maxHandlerTime"));
    await().atMost(WAIT).until(interrupted::get);
    release.set(true);
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> stats().acked.get() == 1);
    assertThat(stats().stale.get()).isZero();
  }

  @Test
  void aHandlerPastMaxHandlerTimeOnItsLastAttemptIsDeadLettered() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("hangs"));
    CountDownLatch started = new CountDownLatch(1);
    group("billing", "orders")
        .maxHandlerTime(Duration.ofSeconds(2))
        .retry(RetryPolicy.none())
        .handler(
            d -> {
              started.countDown();
              new CountDownLatch(1).await(); // ends with the interrupt
            })
        .start();
    await().atMost(WAIT).until(() -> started.getCount() == 0);
    clock().advance(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 1);
    DeadLetter dl = sluice().admin().deadLetters("orders.dlq", 1).get(0);
    assertThat(dl.reason()).isEqualTo("exhausted");
    assertThat(dl.errorClass()).isEqualTo(TimeoutException.class.getName());
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(stats().released.get()).isZero();
  }
}
