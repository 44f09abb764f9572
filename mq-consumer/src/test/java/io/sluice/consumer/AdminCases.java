package io.sluice.consumer;

import static io.sluice.consumer.SluiceAdmin.ALL_PARTITIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.Position;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.consumer.admin.BrowsedMessage;
import io.sluice.consumer.admin.GroupPartitionView;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.OffsetChange;
import io.sluice.consumer.admin.PartitionView;
import io.sluice.consumer.admin.TopicView;
import io.sluice.spi.OutgoingMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Admin: browse, describe with public views, reset offsets with a dry run, persistent pause. */
abstract class AdminCases extends ConsumerCase {
  AdminCases(ConsumerContract contract) {
    super(contract);
  }

  /** Appends {@code count} messages to one partition, one call each, the clock 1 s apart. */
  private void fill(String topic, int partition, int count, String prefix) {
    for (int i = 0; i < count; i++) {
      clock().advance(Duration.ofSeconds(1));
      storage()
          .append(topic, List.of(OutgoingMessage.toPartition(Message.of(prefix + i), partition)));
    }
  }

  @Test
  void describeTopicAndGroupShowPartitionsOffsetsAndLag() {
    topic("orders", 2);
    fill("orders", 0, 3, "a");
    fill("orders", 1, 2, "b");
    TopicView topic = sluice().admin().describeTopic("orders");
    assertThat(topic.name()).isEqualTo("orders");
    assertThat(topic.config().partitions()).isEqualTo(2);
    assertThat(topic.partitions())
        .extracting(
            PartitionView::partition, PartitionView::logStartOffset, PartitionView::endOffset)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 0L, 3L),
            org.assertj.core.groups.Tuple.tuple(1, 0L, 2L));
    assertThat(topic.endOffsetSum()).isEqualTo(5);
    assertThat(topic.retainedMessages()).isEqualTo(5);
    assertThat(topic.retainedBytes())
        .satisfiesAnyOf(b -> assertThat(b).isEqualTo(-1), b -> assertThat(b).isPositive());
    assertThat(sluice().admin().listTopics()).extracting(TopicView::name).containsExactly("orders");

    sluice().admin().seek("billing", "orders", 0, Position.offset(2));
    GroupView group = sluice().admin().describeGroup("billing", "orders");
    assertThat(group.group()).isEqualTo("billing");
    assertThat(group.paused()).isFalse();
    assertThat(group.partitions())
        .extracting(
            GroupPartitionView::committedOffset,
            GroupPartitionView::endOffset,
            GroupPartitionView::lag)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, 3L, 1L),
            org.assertj.core.groups.Tuple.tuple(0L, 2L, 2L));
    assertThat(group.lag()).isEqualTo(3).isEqualTo(sluice().admin().lag("billing", "orders"));
    assertThat(group.inFlight()).isZero();
    assertThat(sluice().admin().listGroups("orders")).containsExactly("billing");
    assertThatThrownBy(() -> sluice().admin().describeTopic("missing"))
        .isInstanceOf(TopicNotFoundException.class);
  }

  @Test
  void browseReadsFromAnOffsetOrATimeInOnePartitionOrAll() {
    topic("orders", 2);
    Instant start = clock().instant();
    fill("orders", 0, 4, "a"); // a0..a3 at start+1..4 s
    fill("orders", 1, 4, "b"); // b0..b3 at start+5..8 s
    SluiceAdmin admin = sluice().admin();

    assertThat(admin.browse("orders", 0, Position.offset(1), 2))
        .extracting(BrowsedMessage::offset, m -> m.message().payloadAsString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "a1"),
            org.assertj.core.groups.Tuple.tuple(2L, "a2"));
    assertThat(admin.browse("orders", 1, Position.timestamp(start.plusSeconds(7)), 10))
        .extracting(m -> m.message().payloadAsString())
        .containsExactly("b2", "b3");
    assertThat(admin.browse("orders", ALL_PARTITIONS, Position.timestamp(start.plusSeconds(3)), 4))
        .extracting(m -> m.message().payloadAsString())
        .containsExactly("a2", "a3", "b0", "b1");
    assertThat(admin.browse("orders", ALL_PARTITIONS, Position.EARLIEST, 100)).hasSize(8);
    assertThat(admin.browse("orders", 0, Position.LATEST, 10)).isEmpty();
    // Browsing claims nothing.
    assertThat(admin.listGroups("orders")).isEmpty();

    assertThatThrownBy(() -> admin.browse("orders", 0, Position.EARLIEST, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("expected 1 to 10000, found 0");
    assertThatThrownBy(() -> admin.browse("orders", 2, Position.EARLIEST, 1))
        .isInstanceOf(InvalidPartitionException.class);
    assertThatThrownBy(() -> admin.browse("missing", 0, Position.EARLIEST, 1))
        .isInstanceOf(TopicNotFoundException.class);
  }

  @Test
  void resetOffsetsDryRunShowsTheChangeAndChangesNothing() {
    topic("orders", 2);
    Instant start = clock().instant();
    fill("orders", 0, 5, "a");
    fill("orders", 1, 3, "b");
    SluiceAdmin admin = sluice().admin();
    admin.resetOffsets("billing", "orders", ALL_PARTITIONS, Position.LATEST);
    assertThat(admin.lag("billing", "orders")).isZero();

    List<OffsetChange> plan =
        admin.planResetOffsets("billing", "orders", ALL_PARTITIONS, Position.EARLIEST);
    assertThat(plan).containsExactly(new OffsetChange(0, 5, 0), new OffsetChange(1, 3, 0));
    assertThat(plan.get(0).delta()).isEqualTo(-5);
    assertThat(admin.lag("billing", "orders")).as("a dry run changes nothing").isZero();

    assertThat(admin.resetOffsets("billing", "orders", 0, Position.timestamp(start.plusSeconds(3))))
        .containsExactly(new OffsetChange(0, 5, 2));
    assertThat(admin.groupState("billing", "orders"))
        .extracting(GroupPartitionView::committedOffset)
        .containsExactly(2L, 3L);
    assertThat(admin.resetOffsets("billing", "orders", 1, Position.offset(1)))
        .containsExactly(new OffsetChange(1, 3, 1));
    assertThat(admin.lag("billing", "orders")).isEqualTo(5);

    assertThatThrownBy(() -> admin.planResetOffsets("billing", "orders", 0, Position.offset(6)))
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThatThrownBy(
            () -> admin.resetOffsets("billing", "orders", ALL_PARTITIONS, Position.offset(4)))
        .as("partition 1 ends at 3: nothing is moved")
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThat(admin.groupState("billing", "orders"))
        .extracting(GroupPartitionView::committedOffset)
        .containsExactly(2L, 1L);
    assertThatThrownBy(() -> admin.planResetOffsets("billing", "orders", 5, Position.EARLIEST))
        .isInstanceOf(InvalidPartitionException.class);
  }

  @Test
  void aResetReplaysToARunningGroup() {
    topic("orders", 1);
    produce("orders", 4);
    AtomicInteger handled = new AtomicInteger();
    ConsumerGroup g = group("billing", "orders").handler(d -> handled.incrementAndGet()).start();
    await().atMost(WAIT).until(() -> handled.get() == 4 && lag("billing", "orders") == 0);
    sluice().admin().pause("billing", "orders");
    assertThat(sluice().admin().resetOffsets("billing", "orders", 0, Position.offset(1)))
        .containsExactly(new OffsetChange(0, 4, 1));
    sluice().admin().resume("billing", "orders");
    await().atMost(WAIT).until(() -> handled.get() == 7 && lag("billing", "orders") == 0);
    g.close(Duration.ofSeconds(5));
  }

  @Test
  void pauseIsObeyedByEveryMemberAndSurvivesAReopen() throws Exception {
    topic("orders", 2);
    SluiceAdmin admin = sluice().admin();
    admin.pause("billing", "orders");
    assertThat(admin.isPaused("billing", "orders")).isTrue();
    assertThat(admin.describeGroup("billing", "orders").paused()).isTrue();
    assertThat(admin.isPaused("shipping", "orders")).isFalse();
    if (!crashingConsumerArgs().isEmpty()) {
      contract().reopen(clock()); // a persistent store: the pause outlives the process
      admin = sluice().admin();
      assertThat(admin.isPaused("billing", "orders")).isTrue();
    }
    produce("orders", 6);
    AtomicInteger handled = new AtomicInteger();
    ConsumerGroup a = group("billing", "orders").handler(d -> handled.incrementAndGet()).start();
    ConsumerGroup b = group("billing", "orders").handler(d -> handled.incrementAndGet()).start();
    int before = storage().claims.get();
    await().atMost(WAIT).until(() -> storage().claims.get() >= before + 10);
    assertThat(handled.get()).as("claims while paused hand out nothing").isZero();
    assertThat(admin.lag("billing", "orders")).isEqualTo(6);

    admin.resume("billing", "orders");
    assertThat(admin.describeGroup("billing", "orders").paused()).isFalse();
    await().atMost(WAIT).until(() -> handled.get() == 6);
    a.close(Duration.ofSeconds(5));
    b.close(Duration.ofSeconds(5));
  }

  @Test
  void aGroupWidePauseCoversEveryTopicUntilTheGroupResumes() {
    topic("orders", 1);
    SluiceAdmin admin = sluice().admin();
    admin.pause("billing", null);
    assertThat(admin.isPaused("billing", null)).isTrue();
    assertThat(admin.isPaused("billing", "orders")).isTrue();
    assertThat(admin.isPaused("billing", "refunds")).isTrue();
    admin.pause("billing", "orders");
    admin.resume("billing", null);
    assertThat(admin.isPaused("billing", null)).isFalse();
    assertThat(admin.isPaused("billing", "orders"))
        .as("resuming the group clears its per-topic pauses too")
        .isFalse();
    admin.resume("billing", "orders"); // idempotent
    assertThatThrownBy(() -> admin.pause("bad group", null))
        .isInstanceOf(io.sluice.api.error.InvalidNameException.class);
  }
}
