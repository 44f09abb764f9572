package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PartitionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention by age, by bytes and until consumed. Offsets are never reused. A backend that removes
 * whole segments may keep up to {@link StorageContract#retentionSlackBytes()} more.
 */
abstract class RetentionCases extends ContractCase {
  /** Every message here encodes to exactly this many bytes (payload only). */
  static final int SIZE = 100;

  RetentionCases(StorageContract contract) {
    super(contract);
  }

  /** Appends {@code count} messages of {@link #SIZE} bytes to partition 0, in batches of 50. */
  void write(String t, int count) {
    for (int done = 0; done < count; ) {
      List<OutgoingMessage> batch = new ArrayList<>();
      for (int i = 0; i < 50 && done < count; i++, done++) {
        batch.add(OutgoingMessage.toPartition(Message.of(bytes(SIZE)), 0));
      }
      store().append(t, batch);
    }
  }

  PartitionInfo range(String t) {
    return store().describeTopic(t).partitions().get(0);
  }

  /** Asserts at most the backend's slack is kept below {@code strictStart}. */
  void assertRemovedUpTo(String t, long strictStart) {
    PartitionInfo p = range(t);
    assertThat(p.logStartOffset()).isLessThanOrEqualTo(strictStart);
    assertThat((strictStart - p.logStartOffset()) * SIZE)
        .as("bytes kept that retention allows removing")
        .isLessThanOrEqualTo(contract().retentionSlackBytes());
  }

  @Test
  void retentionByAgeRemovesOldMessagesKeepsNewOnesAndNeverReusesOffsets() {
    String t = topic(TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
    write(t, 200);
    clock().advance(Duration.ofHours(2));
    write(t, 10);
    long removed = store().enforceRetention();
    assertRemovedUpTo(t, 200);
    PartitionInfo p = range(t);
    assertThat(removed).isGreaterThanOrEqualTo(p.logStartOffset()).isPositive();
    assertThat(p.endOffset()).isEqualTo(210);
    assertThat(store().read(t, 0, 200, 100)).hasSize(10);
    assertThat(sendTo(t, 0, msg("next")).offset()).isEqualTo(210);
  }

  @Test
  void retentionByBytesKeepsAboutTheLimitAndTheNewestMessages() {
    String t = topic(TopicConfig.partitions(1).withRetentionBytes(20 * SIZE));
    write(t, 200);
    store().enforceRetention();
    PartitionInfo p = range(t);
    assertThat(p.endOffset()).isEqualTo(200);
    assertThat(p.logStartOffset()).isPositive().isLessThan(200);
    assertThat((p.endOffset() - p.logStartOffset()) * SIZE)
        .isLessThanOrEqualTo(20 * SIZE + contract().retentionSlackBytes());
    assertThat(store().read(t, 0, 199, 1)).hasSize(1);
  }

  @Test
  void retainUntilConsumedKeepsWhatAGroupHasNotCommittedPast() {
    String t =
        topic(
            TopicConfig.partitions(1)
                .withRetention(Duration.ofHours(1))
                .withRetainUntilConsumed(true));
    write(t, 200);
    String g = name("g");
    List<Lease> leases = claim(g, t, 200);
    for (Lease l : leases.subList(0, 100)) {
      ackOk(g, l);
    }
    clock().advance(Duration.ofHours(2));
    store().enforceRetention();
    assertRemovedUpTo(t, 100);
    assertThat(store().read(t, 0, 100, 200)).hasSize(100);
    clock().advance(Duration.ofSeconds(1));
    for (Lease l : claim(g, t, 200)) {
      ackOk(g, l);
    }
    store().enforceRetention();
    assertRemovedUpTo(t, 200);
  }

  @Test
  void offsetsContinueAfterRetentionRemovedEverything() {
    String t = topic(TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
    write(t, 200);
    clock().advance(Duration.ofHours(2));
    store().enforceRetention();
    assertRemovedUpTo(t, 200);
    assertThat(sendTo(t, 0, msg("next")).offset()).isEqualTo(200);
    assertThat(range(t).endOffset()).isEqualTo(201);
  }

  @Test
  void readingBelowTheLogStartThrowsOffsetOutOfRange() {
    String t = topic(TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
    write(t, 200);
    clock().advance(Duration.ofHours(2));
    write(t, 1);
    store().enforceRetention();
    long start = range(t).logStartOffset();
    assertThat(start).isPositive();
    assertThatThrownBy(() -> store().read(t, 0, start - 1, 1))
        .isInstanceOf(OffsetOutOfRangeException.class)
        .satisfies(
            e -> assertThat(((OffsetOutOfRangeException) e).logStartOffset()).isEqualTo(start));
    assertThatThrownBy(() -> store().read(t, 0, 0, 1))
        .isInstanceOf(OffsetOutOfRangeException.class);
  }

  @Test
  void aGroupBehindTheLogStartMovesToIt() {
    String t = topic(TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
    write(t, 200);
    String g = name("g");
    store().seek(g, t, 0, io.sluice.api.Position.EARLIEST);
    clock().advance(Duration.ofHours(2));
    write(t, 1);
    store().enforceRetention();
    long start = range(t).logStartOffset();
    List<Lease> l = claim(g, t, 1);
    assertThat(l.get(0).id().offset()).isEqualTo(start);
    assertThat(committed(g, t, 0)).isEqualTo(start);
  }

  @Test
  void aTopicWithoutLimitsKeepsEverything() {
    String t = topic(1);
    write(t, 50);
    clock().advance(Duration.ofDays(3650));
    store().enforceRetention();
    assertThat(range(t))
        .extracting(
            PartitionInfo::partition, PartitionInfo::logStartOffset, PartitionInfo::endOffset)
        .containsExactly(0, 0L, 50L);
  }
}
