package io.sluice.storage.file.internal.state;

import io.sluice.api.Position;
import io.sluice.storage.file.internal.dedupe.DedupeIndex;
import io.sluice.storage.file.internal.log.SegmentSet;
import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer group's state in one topic: a {@link PartitionCursor} per partition it consumed, and
 * the index of its processed keys (opened on first use). Every method runs under {@link #lock};
 * claims and acks of different groups run in parallel.
 */
final class GroupTopic {
  final String group;
  final String topic;
  final ReentrantLock lock = new ReentrantLock();
  final Map<Integer, PartitionCursor> cursors = new HashMap<>();
  private final int heldLimit;
  private int rotation;

  /**
   * Each partition's scan cursor as the last claim left it (index: partition; -1: no cursor), for
   * the next claim to read ahead before it takes the lock ({@link ReadAhead}). Replaced, never
   * changed, so a claim reads it without the lock.
   */
  private volatile long[] scanHints = new long[0];

  /** The processed keys of this group in this topic, or null until first used. */
  DedupeIndex processed;

  GroupTopic(String group, String topic, int heldLimit) {
    this.group = group;
    this.topic = topic;
    this.heldLimit = heldLimit;
  }

  /** The cursor of a partition, created at {@code start} (and journaled) if new. */
  PartitionCursor cursor(SegmentSet log, Position start, List<StateRecord> journal) {
    PartitionCursor c = cursors.get(log.partition());
    if (c == null) {
      long at = startOffset(log, start);
      c = new PartitionCursor(at, heldLimit);
      cursors.put(log.partition(), c);
      journal.add(new StateRecord.Cursor(group, topic, log.partition(), at));
    } else {
      c.clampTo(log.logStart());
    }
    return c;
  }

  /** The cursor of a partition for replay, created at offset 0 if new. */
  PartitionCursor replayCursor(int partition) {
    return cursors.computeIfAbsent(partition, p -> new PartitionCursor(0, heldLimit));
  }

  static long startOffset(SegmentSet log, Position position) {
    return switch (position) {
      case Position.Earliest e -> log.logStart();
      case Position.Latest l -> log.endOffset();
      case Position.Offset o -> Math.max(log.logStart(), Math.min(log.endOffset(), o.offset()));
      case Position.Timestamp t -> log.offsetForTimestamp(t.timestamp());
    };
  }

  long[] scanHints() {
    return scanHints;
  }

  /** Publishes the scan cursors of the first {@code partitions} partitions. Lock held. */
  void publishScanHints(int partitions) {
    long[] hints = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      PartitionCursor c = cursors.get(p);
      hints[p] = c == null ? -1 : c.scanFrom;
    }
    scanHints = hints;
  }

  int nextRotation() {
    return rotation++;
  }

  /** Applies one replayed record of this group and topic. */
  void replay(StateRecord r) {
    switch (r) {
      case StateRecord.Cursor c -> replayCursor(c.partition()).reset(c.committed());
      case StateRecord.Done d -> replayCursor(d.partition()).restoreDone(d.ranges());
      case StateRecord.Entries e -> {
        PartitionCursor pc = replayCursor(e.partition());
        for (EntryState s : e.entries()) {
          pc.restore(s);
        }
      }
      case StateRecord.Started s -> {
        PartitionCursor pc = replayCursor(s.partition());
        long[] ranges = s.ranges();
        for (int i = 0; i < ranges.length; i += 2) {
          for (long o = Math.max(ranges[i], pc.committed); o < ranges[i + 1]; o++) {
            pc.restore(new EntryState(o, s.attempts(), s.firstDeliveredAt(), Micros.NONE));
          }
        }
      }
      default -> {}
    }
  }

  /** Receives snapshot records. */
  interface Out {
    void add(StateRecord r) throws IOException;
  }

  /** The state as records, for a snapshot: per partition its cursor, done ranges and entries. */
  void snapshot(Out out) throws IOException {
    for (Map.Entry<Integer, PartitionCursor> c : cursors.entrySet()) {
      snapshotPartition(c.getKey(), c.getValue(), out);
    }
  }

  /**
   * One partition's state as records: its cursor (which clears it on replay), its done ranges, the
   * entries a restart must keep (attempts counted, or a retry time) and the started members of its
   * lease runs, in frames of at most {@link StateCodec#CHUNK} items.
   */
  void snapshotPartition(int partition, PartitionCursor pc, Out out) throws IOException {
    out.add(new StateRecord.Cursor(group, topic, partition, pc.committed));
    OffsetRanges done = pc.done;
    for (int from = 0; from < done.size(); from += StateCodec.CHUNK) {
      int n = Math.min(StateCodec.CHUNK, done.size() - from);
      long[] ranges = new long[2 * n];
      for (int i = 0; i < n; i++) {
        ranges[2 * i] = done.start(from + i);
        ranges[2 * i + 1] = done.end(from + i);
      }
      out.add(new StateRecord.Done(group, topic, partition, ranges));
    }
    List<EntryState> states = new ArrayList<>();
    for (Entry e : pc.entries.values()) {
      if (e.durable()) {
        states.add(e.persisted());
      }
      if (states.size() == StateCodec.CHUNK) {
        out.add(new StateRecord.Entries(group, topic, partition, states));
        states = new ArrayList<>();
      }
    }
    for (LeaseRun r : pc.runs.values()) {
      for (long o = r.nextLive(r.first); o >= 0; o = r.nextLive(o + 1)) {
        if (r.isStarted(o)) {
          states.add(new EntryState(o, r.attempts(o), r.firstDeliveredAt, Micros.NONE));
        }
        if (states.size() == StateCodec.CHUNK) {
          out.add(new StateRecord.Entries(group, topic, partition, states));
          states = new ArrayList<>();
        }
      }
    }
    if (!states.isEmpty()) {
      out.add(new StateRecord.Entries(group, topic, partition, states));
    }
  }

  /** In-memory size, for tests and benchmarks: entries, runs, done ranges, held-back runs. */
  long[] size() {
    long[] n = new long[4];
    for (PartitionCursor c : cursors.values()) {
      n[0] += c.entries.size();
      n[1] += c.runs.size();
      n[2] += c.done.size();
      n[3] += c.held.runs();
    }
    return n;
  }
}
