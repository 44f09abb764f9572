package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.consumer.admin.BrowsedMessage;
import io.sluice.consumer.admin.DeadLetterFilter;
import io.sluice.spi.OutgoingMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead-letter administration: listing by filter, one entry by id, redrive and purge by filter or by
 * id, and a count that does not read the dead-letter topic. Entries are written the way the runtime
 * writes them (the dead-letter headers), so each case knows exactly what is pending.
 */
abstract class AdminDeadLettersCases extends ConsumerCase {
  private static final String DLQ = "orders.dlq";
  private Instant start;

  AdminDeadLettersCases(ConsumerContract contract) {
    super(contract);
  }

  /**
   * Six entries in two partitions of {@value #DLQ}: billing e0 (timeout), shipping e1 (declined),
   * billing e2 (declined), then in partition 1 billing e3 (timeout), shipping e4 (Timeout), refunds
   * e5 from topic "refunds". Entry {@code eN} is dead-lettered N + 1 seconds after the start.
   */
  @BeforeEach
  void seed() {
    topic("orders", 2);
    topic("refunds", 1);
    sluice().admin().createTopic(DLQ, TopicConfig.partitions(2));
    start = clock().instant();
    entry(0, "orders", 0, 10, "billing", "gateway timeout", "e0");
    entry(0, "orders", 1, 11, "shipping", "card declined", "e1");
    entry(0, "orders", 0, 12, "billing", "card declined", "e2");
    entry(1, "orders", 1, 13, "billing", "read timeout", "e3");
    entry(1, "orders", 0, 14, "shipping", "Timeout", "e4");
    entry(1, "refunds", 0, 15, "refunds", "bad", "e5");
  }

  private void entry(
      int dlqPartition,
      String topic,
      int partition,
      long offset,
      String group,
      String error,
      String payload) {
    Instant at = clock().advance(Duration.ofSeconds(1));
    Message m =
        Message.builder(payload)
            .headers(
                Headers.of(
                    DeadLetterHeaders.TOPIC,
                    topic,
                    DeadLetterHeaders.PARTITION,
                    Integer.toString(partition),
                    DeadLetterHeaders.OFFSET,
                    Long.toString(offset),
                    DeadLetterHeaders.GROUP,
                    group,
                    DeadLetterHeaders.ATTEMPTS,
                    "3",
                    DeadLetterHeaders.ERROR_CLASS,
                    "java.lang.IllegalStateException",
                    DeadLetterHeaders.ERROR_MESSAGE,
                    error,
                    DeadLetterHeaders.REASON,
                    "exhausted",
                    DeadLetterHeaders.FIRST_FAILURE,
                    at.toString(),
                    DeadLetterHeaders.LAST_FAILURE,
                    at.toString()))
            .build();
    storage().append(DLQ, List.of(OutgoingMessage.toPartition(m, dlqPartition)));
  }

  private List<String> payloads(List<DeadLetter> entries) {
    return entries.stream().map(d -> d.message().payloadAsString()).toList();
  }

  @Test
  void listFiltersByGroupTopicTextAndTime() {
    SluiceAdmin admin = sluice().admin();
    assertThat(payloads(admin.deadLetters(DLQ, 100)))
        .containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
    assertThat(payloads(admin.deadLetters(DLQ, DeadLetterFilter.ALL.withGroup("billing"), 100)))
        .containsExactly("e0", "e2", "e3");
    assertThat(
            payloads(
                admin.deadLetters(DLQ, DeadLetterFilter.ALL.withOriginalTopic("refunds"), 100)))
        .containsExactly("e5");
    assertThat(payloads(admin.deadLetters(DLQ, DeadLetterFilter.ALL.withText("TIMEOUT"), 100)))
        .containsExactly("e0", "e3", "e4");
    assertThat(
            payloads(
                admin.deadLetters(
                    DLQ,
                    DeadLetterFilter.ALL
                        .withText("timeout")
                        .between(start.plusSeconds(2), start.plusSeconds(5)),
                    100)))
        .as("e0 at +1 s is too early, e4 at +5 s too late")
        .containsExactly("e3");
    assertThat(payloads(admin.deadLetters(DLQ, DeadLetterFilter.ALL.withGroup("billing"), 2)))
        .containsExactly("e0", "e2");
    assertThatThrownBy(() -> DeadLetterFilter.ALL.between(start, start))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("expected from before until");
  }

  @Test
  void countReadsNoEntries() {
    int reads = storage().reads.get();
    assertThat(sluice().admin().countDeadLetters(DLQ)).isEqualTo(6);
    assertThat(storage().reads.get()).as("counting reads progress only").isEqualTo(reads);
    assertThat(sluice().admin().purgeById(DLQ, "1:1")).isTrue();
    assertThat(sluice().admin().countDeadLetters(DLQ))
        .as("an entry settled out of order no longer counts")
        .isEqualTo(5);
    assertThat(sluice().admin().countDeadLetters("missing.dlq")).isZero();
  }

  @Test
  void showFindsAPendingEntryById() {
    SluiceAdmin admin = sluice().admin();
    DeadLetter e3 = admin.deadLetter(DLQ, "1:0").orElseThrow();
    assertThat(e3.id()).isEqualTo("1:0");
    assertThat(e3.message().payloadAsString()).isEqualTo("e3");
    assertThat(e3.originalOffset()).isEqualTo(13);
    assertThat(e3.errorMessage()).isEqualTo("read timeout");
    assertThat(admin.deadLetter(DLQ, "1:3")).isEmpty();
    assertThat(admin.deadLetter(DLQ, "7:0")).isEmpty();
    assertThat(admin.deadLetter("missing.dlq", "0:0")).isEmpty();
    assertThat(admin.purgeById(DLQ, "1:0")).isTrue();
    assertThat(admin.deadLetter(DLQ, "1:0")).as("settled entries are not shown").isEmpty();
    for (String bad : List.of("", "1", "a:1", "1:-1", "-1:0", "1:2:3", " 1:2")) {
      assertThatThrownBy(() -> admin.deadLetter(DLQ, bad))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("expected partition:offset");
    }
  }

  @Test
  void purgeByIdAndByFilterSettleOnlyThoseEntries() {
    SluiceAdmin admin = sluice().admin();
    assertThat(admin.purgeById(DLQ, "0:1")).isTrue();
    assertThat(admin.purgeById(DLQ, "0:1")).as("already purged").isFalse();
    assertThat(admin.purgeById(DLQ, "0:9")).isFalse();
    assertThat(admin.purge(DLQ, DeadLetterFilter.ALL.withText("timeout"))).isEqualTo(3);
    assertThat(payloads(admin.deadLetters(DLQ, 100))).containsExactly("e2", "e5");
    assertThat(admin.countDeadLetters(DLQ)).isEqualTo(2);
    assertThat(admin.describeTopic("orders").endOffsetSum()).as("nothing re-enqueued").isZero();
  }

  @Test
  void redriveByIdSendsOneEntryBackToItsGroupOnly() {
    SluiceAdmin admin = sluice().admin();
    assertThat(admin.redriveById(DLQ, "0:2")).isTrue(); // e2, billing, orders-0 offset 12
    assertThat(admin.redriveById(DLQ, "0:2")).isFalse();
    List<BrowsedMessage> back = admin.browse("orders", 0, Position.EARLIEST, 10);
    assertThat(back).hasSize(1);
    assertThat(back.get(0).message().payloadAsString()).isEqualTo("e2");
    assertThat(back.get(0).message().headers().lastValue(DeadLetterHeaders.REDRIVE_GROUP))
        .contains("billing");
    assertThat(payloads(admin.deadLetters(DLQ, 100))).containsExactly("e0", "e1", "e3", "e4", "e5");

    List<String> billing = new CopyOnWriteArrayList<>();
    List<String> shipping = new CopyOnWriteArrayList<>();
    group("billing", "orders").handler(d -> billing.add(d.payloadAsString())).start();
    group("shipping", "orders").handler(d -> shipping.add(d.payloadAsString())).start();
    await()
        .atMost(WAIT)
        .until(() -> lag("billing", "orders") == 0 && lag("shipping", "orders") == 0);
    assertThat(billing).containsExactly("e2");
    assertThat(shipping).isEmpty();
  }

  @Test
  void redriveByFilterMovesOnlyMatchingEntries() {
    SluiceAdmin admin = sluice().admin();
    int moved = admin.redrive(DLQ, DeadLetterFilter.ALL.withGroup("shipping"));
    assertThat(moved).isEqualTo(2);
    assertThat(admin.browse("orders", SluiceAdmin.ALL_PARTITIONS, Position.EARLIEST, 10))
        .extracting(m -> m.message().payloadAsString() + "@" + m.partition())
        .containsExactlyInAnyOrder("e1@1", "e4@0");
    assertThat(payloads(admin.deadLetters(DLQ, 100))).containsExactly("e0", "e2", "e3", "e5");
    assertThat(admin.countDeadLetters(DLQ)).isEqualTo(4);
  }
}
