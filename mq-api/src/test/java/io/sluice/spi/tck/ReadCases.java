package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.StoredMessage;
import org.junit.jupiter.api.Test;

/** Raw read: ranges, limits, and the offsets it refuses. */
abstract class ReadCases extends ContractCase {
  ReadCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void readStartsAtTheOffsetAndStopsAtMax() {
    String t = topic(1);
    fill(t, 0, 10);
    assertThat(store().read(t, 0, 3, 4))
        .extracting(StoredMessage::offset)
        .containsExactly(3L, 4L, 5L, 6L);
    assertThat(store().read(t, 0, 8, 100))
        .extracting(StoredMessage::offset)
        .containsExactly(8L, 9L);
  }

  @Test
  void readingAtTheEndOffsetReturnsNothing() {
    String t = topic(1);
    assertThat(store().read(t, 0, 0, 10)).isEmpty();
    fill(t, 0, 3);
    assertThat(store().read(t, 0, 3, 10)).isEmpty();
  }

  @Test
  void readIgnoresConsumerGroups() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    for (var l : claim(g, t, 3)) {
      ackOk(g, l);
    }
    assertThat(store().read(t, 0, 0, 10)).hasSize(3);
  }

  @Test
  void readAboveTheEndOrBelowZeroThrowsOffsetOutOfRange() {
    String t = topic(1);
    fill(t, 0, 3);
    assertThatThrownBy(() -> store().read(t, 0, 4, 10))
        .isInstanceOf(OffsetOutOfRangeException.class)
        .satisfies(
            e -> {
              OffsetOutOfRangeException o = (OffsetOutOfRangeException) e;
              assertThat(o.topic()).isEqualTo(t);
              assertThat(o.offset()).isEqualTo(4);
              assertThat(o.endOffset()).isEqualTo(3);
              assertThat(o.logStartOffset()).isZero();
            });
    assertThatThrownBy(() -> store().read(t, 0, -1, 10))
        .isInstanceOf(OffsetOutOfRangeException.class);
  }

  @Test
  void readOfAPartitionOutsideTheTopicThrowsInvalidPartition() {
    String t = topic(2);
    assertThatThrownBy(() -> store().read(t, 2, 0, 10))
        .isInstanceOf(InvalidPartitionException.class)
        .satisfies(
            e -> {
              InvalidPartitionException p = (InvalidPartitionException) e;
              assertThat(p.partition()).isEqualTo(2);
              assertThat(p.partitions()).isEqualTo(2);
            });
    assertThatThrownBy(() -> store().read(t, -1, 0, 10))
        .isInstanceOf(InvalidPartitionException.class);
  }
}
