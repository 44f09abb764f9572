package io.sluice.storage.file.internal.store;

import io.sluice.api.TopicConfig;
import io.sluice.storage.file.internal.log.Segment;
import io.sluice.storage.file.internal.log.SegmentSet;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.GroupStateStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: deletes whole sealed segments, oldest first, never the active one. A segment goes when
 * all its messages are older than the topic's {@code retention}, or when the partition would still
 * hold at least {@code retentionBytes} without it; with {@code retainUntilConsumed} only if every
 * group of the topic has committed past its last message. A group committed below the new log start
 * moves up to it on its next claim. Runs on the store's background thread and on {@code
 * enforceRetention()}; never on the send path.
 */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private Retention() {}

  /** Applies the topic's rules to each partition; returns the messages removed. */
  public static long apply(TopicLog topic, GroupStateStore state, Instant now) throws IOException {
    TopicConfig config = topic.config();
    if (config.retention() == null && config.retentionBytes() == 0) {
      return 0;
    }
    long removed = 0;
    for (SegmentSet log : topic.partitions()) {
      removed += applyTo(log, config, state, now);
    }
    return removed;
  }

  private static long applyTo(
      SegmentSet log, TopicConfig config, GroupStateStore state, Instant now) throws IOException {
    List<Segment> sealed = log.sealed();
    long cutoff =
        config.retention() == null ? Long.MIN_VALUE : now.minus(config.retention()).toEpochMilli();
    long bytes = log.sizeBytes();
    long consumed =
        config.retainUntilConsumed()
            ? state.minCommitted(log.topic(), log.partition(), log.logStart())
            : Long.MAX_VALUE;
    long removed = 0;
    for (int i = 0; i < sealed.size(); i++) {
      Segment seg = sealed.get(i);
      long nextBase = i + 1 < sealed.size() ? sealed.get(i + 1).baseOffset() : log.activeBase();
      boolean old = config.retention() != null && log.maxTimestamp(seg) < cutoff;
      boolean big = config.retentionBytes() > 0 && bytes - seg.size() >= config.retentionBytes();
      if (!(old || big) || nextBase > consumed) {
        break;
      }
      long n = log.deleteOldest();
      if (n == 0) {
        break;
      }
      LOG.debug("retention deleted {} ({} messages)", seg.file(), n);
      removed += n;
      bytes -= seg.size();
    }
    if (log.sealed().isEmpty()) {
      removed += retireActive(log, config, cutoff, consumed, now);
    }
    return removed;
  }

  /** Rolls and deletes the active segment when all of it may go (Kafka does the same). */
  private static long retireActive(
      SegmentSet log, TopicConfig config, long cutoff, long consumed, Instant now)
      throws IOException {
    long[] active = log.activeStats();
    boolean old = config.retention() != null && active[0] > 0 && active[1] < cutoff;
    if (!old || log.endOffset() > consumed || !log.rollForRetention(now)) {
      return 0;
    }
    return log.deleteOldest();
  }
}
