package io.sluice.storage.file.internal.state;

import io.sluice.spi.GroupPartition;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups' progress as seen from outside: per-partition state, retention's floor, reconciliation.
 */
final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

  private Progress() {}

  /** See {@link io.sluice.spi.Storage#groupState}. */
  static List<GroupPartition> groupState(GroupStateStore s, String group, String topic) {
    int n = s.logs.config(topic).partitions();
    GroupTopic g = s.existing(group, topic);
    List<GroupPartition> out = new ArrayList<>(n);
    long now = s.nowMicros();
    for (int p = 0; p < n; p++) {
      SegmentSet log = s.logs.partition(topic, p);
      long committed = log.logStart();
      long end = log.endOffset();
      long inFlight = 0;
      long doneAbove = 0;
      if (g != null) {
        g.lock.lock();
        try {
          PartitionCursor c = g.cursors.get(p);
          if (c != null) {
            committed = Math.max(c.committed, log.logStart());
            inFlight = c.inFlight(now);
            doneAbove = c.done.countFrom(committed);
          }
        } finally {
          g.lock.unlock();
        }
      }
      long lag = Math.max(0, end - committed - doneAbove);
      out.add(
          new GroupPartition(p, committed, end, (int) Math.min(inFlight, Integer.MAX_VALUE), lag));
    }
    return out;
  }

  /**
   * The lowest committed offset of the topic's groups in a partition (a group that never consumed
   * it counts as the log start), or {@code Long.MAX_VALUE} when the topic has no groups.
   */
  static long minCommitted(GroupStateStore s, String topic, int partition, long logStart) {
    Map<String, GroupTopic> byGroup = s.groups.get(topic);
    long min = Long.MAX_VALUE;
    if (byGroup != null) {
      for (GroupTopic g : byGroup.values()) {
        g.lock.lock();
        try {
          PartitionCursor c = g.cursors.get(partition);
          min = Math.min(min, c == null ? logStart : c.committed);
        } finally {
          g.lock.unlock();
        }
      }
    }
    return min;
  }

  /**
   * Brings every group's state of a partition back within its recovered log end: under {@code OS}
   * or {@code INTERVAL} a power loss can take the log's tail but keep state that went past it, and
   * the group would then skip the messages that get those offsets again. The committed offset is
   * clamped and the per-message state at or beyond the end dropped, journaled, with a WARN naming
   * topic, partition, the committed offset and the log end. Called at open.
   */
  static void reconcile(GroupStateStore s, String topic, int partition, long logEnd) {
    Map<String, GroupTopic> byGroup = s.groups.get(topic);
    for (GroupTopic g : byGroup == null ? List.<GroupTopic>of() : byGroup.values()) {
      g.lock.lock();
      try {
        PartitionCursor c = g.cursors.get(partition);
        long committed = c == null ? -1 : c.committed;
        if (c != null && c.truncateTo(logEnd)) {
          LOG.warn(
              "group {} of topic {} partition {}: state went past the log end {} (committed"
                  + " offset {}), the log lost its tail (power loss?); clamped to the log end",
              g.group,
              topic,
              partition,
              logEnd,
              committed);
          List<StateRecord> records = new ArrayList<>();
          try {
            g.snapshotPartition(partition, c, records::add);
          } catch (IOException inMemory) {
            throw new IllegalStateException("adding to a list cannot fail", inMemory);
          }
          s.write(records);
        }
      } finally {
        g.lock.unlock();
      }
    }
  }
}
