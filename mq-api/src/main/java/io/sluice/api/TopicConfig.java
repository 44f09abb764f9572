package io.sluice.api;

import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import java.time.Duration;

/**
 * A topic's configuration.
 *
 * <pre>{@code
 * TopicConfig orders = TopicConfig.partitions(4)
 *     .withRetention(Duration.ofDays(7))
 *     .withDedupeWindow(Duration.ofHours(24));
 * }</pre>
 *
 * @param partitions number of partitions, 1 to 4096; may grow, never shrink
 * @param retention delete messages older than this; {@code null} keeps them forever
 * @param retentionBytes keep at most about this many bytes per partition; {@code 0} for no limit
 *     (file backend: whole segments, so up to one segment more)
 * @param retainUntilConsumed never delete a message some consumer group of the topic has not
 *     committed past, whatever the age and size limits say
 * @param dedupeWindow how long producer idempotency keys (per topic) and processed keys (per group)
 *     are remembered
 * @param maxMessageBytes the largest encoded message accepted; payload, key, idempotency key and
 *     headers count (default 1 MiB, at most 64 MiB)
 */
public record TopicConfig(
    int partitions,
    Duration retention,
    long retentionBytes,
    boolean retainUntilConsumed,
    Duration dedupeWindow,
    int maxMessageBytes) {

  /** 1 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

  /** 24 hours. */
  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(24);

  public TopicConfig {
    Validation.partitions(partitions);
    if (retention != null) {
      Validation.positive("retention", retention);
    }
    if (retentionBytes < 0) {
      throw new InvalidConfigException(
          "retentionBytes must be 0 (no limit) or positive, found " + retentionBytes);
    }
    Validation.positive("dedupeWindow", dedupeWindow);
    if (maxMessageBytes < 1 || maxMessageBytes > Validation.MAX_MESSAGE_BYTES_LIMIT) {
      throw new InvalidConfigException(
          "maxMessageBytes must be 1 to "
              + Validation.MAX_MESSAGE_BYTES_LIMIT
              + ", found "
              + maxMessageBytes);
    }
  }

  /** One partition, kept forever, the default limits. */
  public static TopicConfig defaults() {
    return partitions(1);
  }

  /** This many partitions, kept forever, the default limits. */
  public static TopicConfig partitions(int partitions) {
    return new TopicConfig(
        partitions, null, 0, false, DEFAULT_DEDUPE_WINDOW, DEFAULT_MAX_MESSAGE_BYTES);
  }

  public TopicConfig withPartitions(int partitions) {
    return new TopicConfig(
        partitions, retention, retentionBytes, retainUntilConsumed, dedupeWindow, maxMessageBytes);
  }

  public TopicConfig withRetention(Duration retention) {
    return new TopicConfig(
        partitions, retention, retentionBytes, retainUntilConsumed, dedupeWindow, maxMessageBytes);
  }

  public TopicConfig withRetentionBytes(long retentionBytes) {
    return new TopicConfig(
        partitions, retention, retentionBytes, retainUntilConsumed, dedupeWindow, maxMessageBytes);
  }

  public TopicConfig withRetainUntilConsumed(boolean retainUntilConsumed) {
    return new TopicConfig(
        partitions, retention, retentionBytes, retainUntilConsumed, dedupeWindow, maxMessageBytes);
  }

  public TopicConfig withDedupeWindow(Duration dedupeWindow) {
    return new TopicConfig(
        partitions, retention, retentionBytes, retainUntilConsumed, dedupeWindow, maxMessageBytes);
  }

  public TopicConfig withMaxMessageBytes(int maxMessageBytes) {
    return new TopicConfig(
        partitions, retention, retentionBytes, retainUntilConsumed, dedupeWindow, maxMessageBytes);
  }
}
