package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Lifecycle: several members, pause and resume, graceful and late close, no threads left. */
abstract class LifecycleCases extends ConsumerCase {
  LifecycleCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void manyMembersShareTheWorkWithoutConcurrentDoubleHandling() {
    topic("orders", 4);
    produce("orders", 400);
    Set<String> inProgress = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> byMember = new ConcurrentHashMap<>();
    AtomicInteger doubles = new AtomicInteger();
    for (int m = 0; m < 3; m++) {
      String member = "m" + m;
      group("billing", "orders")
          .member(member)
          .concurrency(4)
          .batchSize(8)
          .handler(
              d -> {
                String id = d.partition() + "@" + d.offset();
                if (!inProgress.add(id)) {
                  doubles.incrementAndGet();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                handled.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                byMember.computeIfAbsent(member, k -> new AtomicInteger()).incrementAndGet();
                inProgress.remove(id);
              })
          .start();
    }
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(doubles.get()).isZero();
    assertThat(handled).hasSize(400);
    assertThat(handled.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    assertThat(byMember.size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void pauseStopsClaimingAndResumeContinues() {
    topic("orders", 1);
    AtomicInteger count = new AtomicInteger();
    ConsumerGroup g = group("billing", "orders").handler(d -> count.incrementAndGet()).start();
    g.pause();
    assertThat(g.isPaused()).isTrue();
    produce("orders", 10);
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> count.get() == 0);
    g.resume();
    await().atMost(WAIT).until(() -> count.get() == 10);
    assertThat(g.isRunning()).isTrue();
  }

  @Test
  void gracefulCloseLetsRunningHandlersFinishAndReleasesTheRest() throws Exception {
    topic("orders", 1);
    produce("orders", 10);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    ConsumerGroup g =
        group("billing", "orders")
            .concurrency(2)
            .prefetch(2)
            .handler(
                d -> {
                  started.incrementAndGet();
                  go.await();
                })
            .start();
    await().atMost(WAIT).until(() -> started.get() == 2);
    AtomicReference<Boolean> result = new AtomicReference<>();
    Thread closer = Thread.ofPlatform().start(() -> result.set(g.close(Duration.ofSeconds(20))));
    await().atMost(WAIT).until(() -> stats().released.get() == 2);
    go.countDown();
    closer.join(WAIT.toMillis());
    assertThat(result.get()).isTrue();
    assertThat(g.isRunning()).isFalse();
    assertThat(stats().acked.get()).isEqualTo(2);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders").handler(d -> attempts.add(d.attempt())).start();
    await().atMost(WAIT).until(() -> attempts.size() == 8);
    assertThat(attempts).containsOnly(1);
  }

  @Test
  void closeAfterTheDeadlineReleasesUnfinishedHandlers() {
    topic("orders", 1);
    produce("orders", 1);
    CountDownLatch started = new CountDownLatch(1);
    ConsumerGroup g =
        group("billing", "orders")
            .handler(
                d -> {
                  started.countDown();
                  new CountDownLatch(1).await();
                })
            .start();
    await().atMost(WAIT).until(() -> started.getCount() == 0);
    assertThat(g.close(Duration.ofMillis(100))).isFalse();
    assertThat(stats().released.get()).isEqualTo(1);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders").handler(d -> attempts.add(d.attempt())).start();
    await().atMost(WAIT).until(() -> attempts.size() == 1);
    assertThat(attempts).containsExactly(1);
  }

  @Test
  void closingLeavesNoThreadsBehind() {
    Set<Thread> before = sluiceThreads();
    topic("orders", 2);
    produce("orders", 50);
    for (int i = 0; i < 5; i++) {
      ConsumerGroup g =
          group("g" + i, "orders").virtualThreads(i % 2 == 0).handler(d -> {}).start();
      await().atMost(WAIT).until(() -> lag(g.name(), "orders") == 0);
      g.close();
      g.close();
    }
    sluice().producer().close();
    assertThat(sluiceThreads()).isSubsetOf(before);
  }

  private static Set<Thread> sluiceThreads() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("sluice-") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }
}
