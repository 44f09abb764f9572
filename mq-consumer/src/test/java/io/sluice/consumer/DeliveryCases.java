package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.consumer.admin.GroupPartitionView;
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

/**
 * Delivery: every message handled and acked once, what the handler sees, subscriptions, wake-ups
 * and lag.
 */
abstract class DeliveryCases extends ConsumerCase {
  DeliveryCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void anIdleMemberIsWokenByAnAppendInsteadOfWaitingOutItsPollInterval() {
    topic("orders", 2);
    AtomicInteger claims = new AtomicInteger();
    storage().beforeClaim = request -> claims.incrementAndGet();
    List<String> seen = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .pollInterval(Duration.ofMinutes(5))
        .handler(d -> seen.add(d.payloadAsString()))
        .start();
    // The first claim found nothing: the member now waits up to five minutes unless woken.
    await().atMost(WAIT).until(() -> claims.get() >= 1);
    sluice().producer().send("orders", Message.of("first"));
    await().atMost(WAIT).until(() -> seen.size() == 1);
    sluice().producer().send("orders", Message.of("second"));
    await().atMost(WAIT).until(() -> seen.size() == 2);
    assertThat(seen).containsExactly("first", "second");
  }

  @Test
  void autoAckDeliversEveryMessageOnceAndCommits() {
    topic("orders", 4);
    produce("orders", 200);
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    group("billing", "orders")
        .handler(
            d ->
                seen.computeIfAbsent(d.payloadAsString(), k -> new AtomicInteger())
                    .incrementAndGet())
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(seen).hasSize(200);
    assertThat(seen.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    await().atMost(WAIT).until(() -> stats().acked.get() == 200);
    assertThat(stats().delivered.get()).isEqualTo(200);
    assertThat(stats().handled.get()).isEqualTo(200);
  }

  @Test
  void deliveryExposesPositionAttemptAndMessage() {
    topic("orders", 1);
    Receipt r =
        sluice()
            .producer()
            .send("orders", Message.builder("x").key("c-7").header("h", "v").build());
    AtomicReference<Delivery> got = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    group("billing", "orders")
        .handler(
            d -> {
              got.set(d);
              done.countDown();
            })
        .start();
    await().atMost(WAIT).until(() -> done.getCount() == 0);
    Delivery d = got.get();
    assertThat(d.group()).isEqualTo("billing");
    assertThat(d.topic()).isEqualTo("orders");
    assertThat(d.partition()).isEqualTo(r.partition());
    assertThat(d.offset()).isEqualTo(r.offset());
    assertThat(d.attempt()).isEqualTo(1);
    assertThat(d.key()).isEqualTo("c-7");
    assertThat(d.headers().lastValue("h")).contains("v");
    assertThat(d.firstDeliveredAt()).isEqualTo(clock().instant());
  }

  @Test
  void subscribesSeveralTopics() {
    topic("a", 1);
    topic("b", 2);
    produce("a", 10);
    produce("b", 10);
    Set<String> topics = ConcurrentHashMap.newKeySet();
    AtomicInteger count = new AtomicInteger();
    sluice()
        .consumer("g")
        .subscribe("a", "b")
        .pollInterval(Duration.ofMillis(5))
        .handler(
            d -> {
              topics.add(d.topic());
              count.incrementAndGet();
            })
        .start();
    await().atMost(WAIT).until(() -> count.get() == 20);
    assertThat(topics).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void lagIsReportedPerPartition() {
    topic("orders", 3);
    produce("orders", 9);
    group("billing", "orders").lagInterval(Duration.ofMillis(10)).handler(d -> {}).start();
    await().atMost(WAIT).until(() -> stats().lagReports.get() >= 6);
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    List<GroupPartitionView> state = sluice().admin().groupState("billing", "orders");
    assertThat(state).hasSize(3).allSatisfy(p -> assertThat(p.lag()).isZero());
  }
}
