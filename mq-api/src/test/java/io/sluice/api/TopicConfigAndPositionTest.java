package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.InvalidConfigException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopicConfigAndPositionTest {
  @Test
  void defaultsAreOnePartitionKeptForeverWithTheDefaultLimits() {
    TopicConfig c = TopicConfig.defaults();
    assertThat(c.partitions()).isEqualTo(1);
    assertThat(c.retention()).isNull();
    assertThat(c.retentionBytes()).isZero();
    assertThat(c.retainUntilConsumed()).isFalse();
    assertThat(c.dedupeWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(c.maxMessageBytes()).isEqualTo(1 << 20);
  }

  @Test
  void withersChangeOneField() {
    TopicConfig c =
        TopicConfig.partitions(4)
            .withRetention(Duration.ofDays(7))
            .withRetentionBytes(1_000)
            .withRetainUntilConsumed(true)
            .withDedupeWindow(Duration.ofMinutes(5))
            .withMaxMessageBytes(64 << 20)
            .withPartitions(8);
    assertThat(c)
        .isEqualTo(
            new TopicConfig(8, Duration.ofDays(7), 1_000, true, Duration.ofMinutes(5), 64 << 20));
  }

  @Test
  void badValuesAreRejectedSayingWhatIsAllowed() {
    assertThatThrownBy(() -> TopicConfig.partitions(0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("1 to 4096");
    assertThatThrownBy(() -> TopicConfig.partitions(4097))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> TopicConfig.defaults().withRetention(Duration.ZERO))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("retention must be a positive duration");
    assertThatThrownBy(() -> TopicConfig.defaults().withRetentionBytes(-1))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("found -1");
    assertThatThrownBy(() -> TopicConfig.defaults().withDedupeWindow(null))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> TopicConfig.defaults().withMaxMessageBytes(0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> TopicConfig.defaults().withMaxMessageBytes((64 << 20) + 1))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("1 to 67108864");
  }

  @Test
  void positionsAreValues() {
    assertThat(Position.offset(5)).isEqualTo(new Position.Offset(5));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(Position.timestamp(t)).isEqualTo(new Position.Timestamp(t));
    assertThat(Position.EARLIEST).isEqualTo(new Position.Earliest());
    assertThat(Position.LATEST).isNotEqualTo(Position.EARLIEST);
    assertThatThrownBy(() -> Position.timestamp(null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("must not be null");
  }

  @Test
  void aReceiptMarkedDuplicateKeepsItsPosition() {
    Receipt r = new Receipt("t", 2, 7, Instant.EPOCH, false);
    assertThat(r.asDuplicate()).isEqualTo(new Receipt("t", 2, 7, Instant.EPOCH, true));
  }
}
