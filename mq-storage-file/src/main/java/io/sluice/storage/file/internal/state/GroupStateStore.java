package io.sluice.storage.file.internal.state;

import io.sluice.api.Position;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.io.GroupCommitter;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every consumer group's state, the producer dedupe window and the processed keys, in memory, made
 * durable through the {@link StateJournal}. Leases are not persisted: a message leased at a crash
 * is visible again after the restart, with the attempts its handler starts counted (a claim counts
 * none and journals nothing but the cursor of a partition the group starts consuming).
 *
 * <p>Every change is written to the journal (a write to the OS, so it survives the death of the
 * process) before the call returns. Under {@code SYNC} starts, acks, releases and seeks also wait
 * for the group commit's force of the journal.
 */
public final class GroupStateStore {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(GroupStateStore.class);
  private final StateJournal journal;
  final LogView logs;
  private final InstantSource clock;
  private final GroupCommitter committer;
  final Map<String, ConcurrentSkipListMap<String, GroupTopic>> groups = new ConcurrentHashMap<>();
  final Map<String, ProducerDedupe> dedupe = new ConcurrentHashMap<>();
  final Map<String, Long> checkpoints = new HashMap<>();
  private final ReentrantLock compaction = new ReentrantLock();
  private final java.util.concurrent.atomic.AtomicBoolean compactionAsked =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile long journalLimit = Long.MAX_VALUE;
  private volatile Runnable onJournalFull = () -> {};
  private final AtomicLong tokens;
  private final Settlements settlements = new Settlements(this);
  final long epoch;

  private GroupStateStore(
      StateJournal journal,
      LogView logs,
      InstantSource clock,
      GroupCommitter committer,
      long epoch) {
    this.journal = journal;
    this.logs = logs;
    this.clock = clock;
    this.committer = committer;
    this.epoch = epoch;
    this.tokens = new AtomicLong(epoch << 40);
  }

  /**
   * Opens the state in {@code dir}: replays snapshot and journals, rescans the logs past each
   * partition's checkpoint for idempotency keys, then writes a fresh snapshot.
   *
   * @param committer the group committer under {@code SYNC}, else null
   * @param truncateCorrupt cut the newest journal at a bad frame even if valid frames follow
   */
  public static GroupStateStore open(
      FileIo io,
      Path dir,
      FailStop failStop,
      LogView logs,
      InstantSource clock,
      GroupCommitter committer,
      boolean truncateCorrupt)
      throws IOException {
    StateJournal.Loaded loaded = StateJournal.open(io, dir, failStop, truncateCorrupt);
    long epoch = 0;
    for (StateRecord r : loaded.records()) {
      if (r instanceof StateRecord.Open o) {
        epoch = Math.max(epoch, o.epoch());
      }
    }
    GroupStateStore s = new GroupStateStore(loaded.journal(), logs, clock, committer, epoch + 1);
    for (StateRecord r : loaded.records()) {
      StateSnapshots.replay(s, r);
    }
    StateSnapshots.rescanLogs(s);
    s.journal.append(List.of(new StateRecord.Open(s.epoch)));
    s.compact();
    return s;
  }

  /**
   * Asks for compaction (run by {@code onFull} on a background thread, never on the caller's) once
   * the journal passes {@code limit} bytes.
   */
  public void compactWhenJournalExceeds(long limit, Runnable onFull) {
    this.onJournalFull = onFull;
    this.journalLimit = limit;
  }

  /** Appends records to the journal (asking for compaction when it is full). */
  void write(List<? extends StateRecord> records) {
    journal.append(records);
    if (journal.size() > journalLimit && compactionAsked.compareAndSet(false, true)) {
      onJournalFull.run();
    }
  }

  /** The group state of one group in one topic (created empty). */
  GroupTopic groupTopic(String group, String topic) {
    return groups
        .computeIfAbsent(topic, t -> new ConcurrentSkipListMap<>())
        .computeIfAbsent(group, g -> new GroupTopic(g, topic));
  }

  /** The group state of one group in one topic, or null if it has none. */
  GroupTopic existing(String group, String topic) {
    Map<String, GroupTopic> byGroup = groups.get(topic);
    return byGroup == null ? null : byGroup.get(group);
  }

  /** Under {@code SYNC}, waits until the group commit forced what the journal holds now. */
  void awaitForce() {
    if (committer != null) {
      committer.await(committer.request(journal));
    }
  }

  /** The store clock's time. */
  Instant now() {
    return clock.instant();
  }

  /** Starts, acks, releases and extensions of leases. */
  public Settlements settlements() {
    return settlements;
  }

  /** A topic's producer dedupe window. */
  public ProducerDedupe dedupe(String topic) {
    return dedupe.computeIfAbsent(topic, t -> new ProducerDedupe());
  }

  /** Journals accepted idempotency keys (durable with the log data's own force or the next). */
  public void recordDedupe(List<StateRecord.Dedupe> records) {
    if (!records.isEmpty()) {
      write(records);
    }
  }

  // ------------------------------------------------------------------------------------- consuming

  /** See {@link io.sluice.spi.Storage#claim}. */
  public List<Lease> claim(ClaimRequest request) {
    int n = logs.config(request.topic()).partitions();
    GroupTopic g = groupTopic(request.group(), request.topic());
    List<Lease> out = new ArrayList<>();
    List<StateRecord> records = new ArrayList<>();
    g.lock.lock();
    try {
      Instant now = clock.instant();
      int first = Math.floorMod(g.nextRotation(), n);
      int share = Math.max(1, request.maxMessages() / n);
      for (int pass = 0; pass < 2 && out.size() < request.maxMessages(); pass++) {
        for (int i = 0; i < n && out.size() < request.maxMessages(); i++) {
          int left = request.maxMessages() - out.size();
          int limit = pass == 0 ? Math.min(share, left) : left;
          SegmentSet log = logs.partition(request.topic(), (first + i) % n);
          g.claimFrom(log, request, now, limit, tokens, out, records);
        }
      }
      if (!records.isEmpty()) {
        write(records);
      }
    } finally {
      g.lock.unlock();
    }
    return out;
  }

  // --------------------------------------------------------------------------------------- offsets

  /** See {@link io.sluice.spi.Storage#offsetFor}: what a position resolves to now. */
  public long offsetFor(String topic, int partition, Position position) {
    return GroupTopic.startOffset(logs.partition(topic, partition), position);
  }

  /** See {@link io.sluice.spi.Storage#seek}. */
  public long seek(String group, String topic, int partition, Position position) {
    SegmentSet log = logs.partition(topic, partition);
    if (position instanceof Position.Offset o
        && (o.offset() < log.logStart() || o.offset() > log.endOffset())) {
      throw new OffsetOutOfRangeException(
          topic, partition, o.offset(), log.logStart(), log.endOffset());
    }
    GroupTopic g = groupTopic(group, topic);
    List<StateRecord> records = new ArrayList<>();
    long offset;
    g.lock.lock();
    try {
      offset = GroupTopic.startOffset(log, position);
      g.cursor(log, Position.offset(offset), records).reset(offset);
      records.add(new StateRecord.Cursor(group, topic, partition, offset));
      write(records);
    } finally {
      g.lock.unlock();
    }
    awaitForce();
    return offset;
  }

  /** See {@link io.sluice.spi.Storage#groupState}. */
  public List<GroupPartition> groupState(String group, String topic) {
    int n = logs.config(topic).partitions();
    GroupTopic g = existing(group, topic);
    List<GroupPartition> out = new ArrayList<>(n);
    Instant now = clock.instant();
    for (int p = 0; p < n; p++) {
      SegmentSet log = logs.partition(topic, p);
      long committed = log.logStart();
      long end = log.endOffset();
      int inFlight = 0;
      long doneAbove = 0;
      if (g != null) {
        g.lock.lock();
        try {
          PartitionCursor c = g.cursors.get(p);
          if (c != null) {
            committed = Math.max(c.committed, log.logStart());
            inFlight = c.inFlight(now);
            doneAbove = c.doneFrom(committed);
          }
        } finally {
          g.lock.unlock();
        }
      }
      long lag = Math.max(0, end - committed - doneAbove);
      out.add(new GroupPartition(p, committed, end, inFlight, lag));
    }
    return out;
  }

  /** See {@link io.sluice.spi.Storage#listGroups}. */
  public List<String> listGroups(String topic) {
    Map<String, GroupTopic> byGroup = groups.get(topic);
    return byGroup == null ? List.of() : List.copyOf(byGroup.keySet());
  }

  /** See {@link io.sluice.spi.Storage#isProcessed}. */
  public boolean isProcessed(String group, String topic, String key, Duration window) {
    GroupTopic g = existing(group, topic);
    if (g == null) {
      return false;
    }
    g.lock.lock();
    try {
      Instant at = g.processed.get(key);
      return at != null && clock.instant().isBefore(at.plus(window));
    } finally {
      g.lock.unlock();
    }
  }

  /**
   * The lowest committed offset of the topic's groups in a partition (a group that never consumed
   * it counts as the log start), or {@code Long.MAX_VALUE} when the topic has no groups.
   */
  public long minCommitted(String topic, int partition, long logStart) {
    Map<String, GroupTopic> byGroup = groups.get(topic);
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
  public void reconcile(String topic, int partition, long logEnd) {
    Map<String, GroupTopic> byGroup = groups.get(topic);
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
          g.snapshotPartition(partition, c, records);
          write(records);
        }
      } finally {
        g.lock.unlock();
      }
    }
  }

  // ------------------------------------------------------------------------------- housekeeping

  /** Forgets dedupe and processed keys older than their topic's window. */
  public void expire(Instant now) {
    for (String topic : logs.topics()) {
      Duration window = logs.config(topic).dedupeWindow();
      dedupe(topic).expire(now, window);
      Map<String, GroupTopic> byGroup = groups.get(topic);
      if (byGroup != null) {
        for (GroupTopic g : byGroup.values()) {
          g.lock.lock();
          try {
            g.processed.values().removeIf(at -> !now.isBefore(at.plus(window)));
          } finally {
            g.lock.unlock();
          }
        }
      }
    }
  }

  /** Bytes in the current journal. */
  public long journalBytes() {
    return journal.size();
  }

  /** Writes a snapshot of everything and drops the older journal. */
  public void compact() throws IOException {
    compaction.lock();
    try {
      compactionAsked.set(false);
      long gen = journal.rotate();
      journal.writeSnapshot(gen, StateSnapshots.capture(this));
    } finally {
      compaction.unlock();
    }
  }

  /** Forces the journal (the INTERVAL flush). */
  public void journalForce() throws IOException {
    journal.force();
  }

  /** Closes the journal without forcing (a simulated crash). */
  public void abandon() throws IOException {
    journal.abandon();
  }

  /** Forces and closes the journal. */
  public void close() throws IOException {
    journal.close();
  }
}
