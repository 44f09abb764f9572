package io.sluice;

import static io.sluice.consumer.SluiceAdmin.ALL_PARTITIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Backoff;
import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.RetryPolicy;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.BrowsedMessage;
import io.sluice.consumer.admin.DeadLetterFilter;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.OffsetChange;
import io.sluice.consumer.admin.TopicView;
import io.sluice.spi.Storage;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spi.tck.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The examples of mq-consumer/README.md, compiled and asserted (tags name the README sections). */
class ReadmeExamplesTest {
  private final Storage storage = new InMemoryStorage(new SettableClock());
  private final Set<String> paid = ConcurrentHashMap.newKeySet();

  private void pay(String order) {
    if (order.contains("bad")) {
      throw new IllegalArgumentException("malformed order " + order);
    }
    paid.add(order);
  }

  @Test
  void quickStart() {
    // tag::quick-start[]
    try (Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(4));
      Receipt r =
          sluice
              .producer()
              .send("orders", Message.builder("o-1 paid").key("c-7").idempotencyKey("o-1").build());
      ConsumerGroup g =
          sluice
              .consumer("billing")
              .subscribe("orders")
              .concurrency(8)
              .ordering(Ordering.KEY_ORDERED)
              .retry(
                  RetryPolicy.maxAttempts(5)
                      .backoff(Backoff.DEFAULT)
                      .notRetryable(IllegalArgumentException.class))
              .deadLetterTopic("orders.dlq") // the default is "<topic>.dlq"
              .handler(delivery -> pay(delivery.payloadAsString())) // auto ack
              .start();
      // end::quick-start[]
      assertThat(r.offset()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> paid.contains("o-1 paid"));
      assertThat(g.isRunning()).isTrue();
    }
    assertThat(storage.describeTopic("orders").name()).isEqualTo("orders"); // still open
  }

  @Test
  void deadLettersAndRedrive() {
    try (Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(1));
      sluice.producer().send("orders", Message.of("bad order"));
      sluice
          .consumer("billing")
          .subscribe("orders")
          .retry(RetryPolicy.maxAttempts(3).notRetryable(IllegalArgumentException.class))
          .handler(d -> pay(d.payloadAsString()))
          .start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.admin().countDeadLetters("orders.dlq") == 1);
      // tag::dlq[]
      for (DeadLetter d : sluice.admin().deadLetters("orders.dlq", 100)) {
        System.out.printf(
            "%s-%d@%d failed in %s after %d attempts: %s%n",
            d.originalTopic(),
            d.originalPartition(),
            d.originalOffset(),
            d.group(),
            d.attempts(),
            d.errorMessage());
      }
      int moved = sluice.admin().redrive("orders.dlq", d -> "billing".equals(d.group()));
      // end::dlq[]
      assertThat(moved).isEqualTo(1);
    }
  }

  @Test
  void administration() {
    try (Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(2));
      sluice.producer().send("orders", Message.of("paid"));
      sluice.admin().seek("billing", "orders", 0, Position.LATEST);
      // tag::admin[]
      SluiceAdmin admin = sluice.admin();
      TopicView orders = admin.describeTopic("orders"); // partitions, end offsets, bytes
      GroupView billing = admin.describeGroup("billing", "orders"); // lag, in flight, paused
      List<BrowsedMessage> first = admin.browse("orders", ALL_PARTITIONS, Position.EARLIEST, 20);
      List<OffsetChange> plan =
          admin.planResetOffsets("billing", "orders", ALL_PARTITIONS, Position.EARLIEST);
      admin.pause("billing", "orders"); // every member, in every process, until resumed
      admin.resetOffsets("billing", "orders", ALL_PARTITIONS, Position.EARLIEST);
      admin.resume("billing", "orders");
      List<DeadLetter> timeouts =
          admin.deadLetters("orders.dlq", DeadLetterFilter.ALL.withText("timeout"), 100);
      for (DeadLetter d : timeouts) {
        admin.redriveById("orders.dlq", d.id()); // id: "partition:offset" in orders.dlq
      }
      // end::admin[]
      assertThat(orders.endOffsetSum()).isEqualTo(1);
      assertThat(billing.lag()).isZero();
      assertThat(first).hasSize(1);
      assertThat(plan).extracting(OffsetChange::delta).contains(-1L);
      assertThat(admin.lag("billing", "orders")).isEqualTo(1);
      assertThat(timeouts).isEmpty();
    }
  }

  @Test
  void metrics() {
    // tag::listener[]
    AtomicLong failures = new AtomicLong();
    ConsumerListener listener =
        new ConsumerListener() {
          @Override
          public void onHandled(io.sluice.api.Delivery d, Duration latency, Throwable failure) {
            if (failure != null) {
              failures.incrementAndGet();
            }
          }
        };
    Sluice sluice = Sluice.builder().storage(storage).listener(listener).build();
    // end::listener[]
    try (sluice) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(1));
      sluice.producer().sendAll("orders", List.of(Message.of("bad 1"), Message.of("ok")));
      sluice
          .consumer("billing")
          .subscribe("orders")
          .retry(RetryPolicy.none())
          .handler(d -> pay(d.payloadAsString()))
          .start();
      await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() == 1 && paid.size() == 1);
    }
  }

  @Test
  void sluiceNeedsAStorageAndClosesWhatItMade() {
    assertThatThrownBy(() -> Sluice.builder().build()).isInstanceOf(InvalidConfigException.class);
    Sluice sluice = Sluice.builder().storage(storage).build();
    sluice.admin().createTopic("t", TopicConfig.partitions(1));
    ConsumerGroup g = sluice.consumer("g").subscribe("t").handler(d -> {}).start();
    assertThat(sluice.groups()).containsExactly(g);
    sluice.close();
    assertThat(g.isRunning()).isFalse();
    assertThatThrownBy(() -> sluice.producer()).isInstanceOf(StorageClosedException.class);
    assertThatThrownBy(() -> sluice.consumer("g2")).isInstanceOf(StorageClosedException.class);
    assertThat(storage.listTopics()).hasSize(1);
    storage.close();
  }
}
