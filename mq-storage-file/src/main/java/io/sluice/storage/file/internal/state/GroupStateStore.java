package io.sluice.storage.file.internal.state;

import io.sluice.api.Position;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.storage.file.internal.dedupe.DedupeSpace;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.io.GroupCommitter;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every consumer group's state (committed offsets, done ranges, lease runs, special messages), made
 * durable through the {@link StateJournal}, and the dedupe keys ({@link KeyIndexes}). Leases are
 * not persisted: a message leased at a crash is visible again after the restart, with the attempts
 * its handler starts counted (a claim counts none and journals nothing but the cursor of a
 * partition the group starts consuming).
 *
 * <p>Every change is written to the journal (a write to the OS, so it survives the death of the
 * process) before the call returns. Under {@code SYNC} starts, acks, releases and seeks also wait
 * for the group commit's force of the journal.
 */
public final class GroupStateStore {
  private static final Logger LOG = LoggerFactory.getLogger(GroupStateStore.class);

  /**
   * How to open the state.
   *
   * @param stateDir {@code <store>/state}
   * @param dedupeDir {@code <store>/dedupe}
   * @param committer the group committer under {@code SYNC}, else null
   * @param truncateCorrupt cut the newest journal at a bad frame even if valid frames follow
   * @param heldLimit {@code KEY_ORDERED}: runs of waiting offsets kept per group and partition
   * @param dedupe the dedupe indexes' settings
   */
  public record Settings(
      FileIo io,
      Path stateDir,
      Path dedupeDir,
      FailStop failStop,
      InstantSource clock,
      GroupCommitter committer,
      boolean truncateCorrupt,
      int heldLimit,
      DedupeSpace.Settings dedupe) {}

  private StateJournal journal;
  final LogView logs;
  private final InstantSource clock;
  private final GroupCommitter committer;
  private final KeyIndexes keys;
  private final int heldLimit;
  final Map<String, ConcurrentSkipListMap<String, GroupTopic>> groups = new ConcurrentHashMap<>();
  private final ReentrantLock compaction = new ReentrantLock();
  private final AtomicBoolean compactionAsked = new AtomicBoolean();
  private volatile long journalLimit = Long.MAX_VALUE;
  private volatile Runnable onJournalFull = () -> {};
  private AtomicLong tokens;
  private final Settlements settlements = new Settlements(this);
  private long epoch;

  private GroupStateStore(Settings s, LogView logs) {
    this.logs = logs;
    this.clock = s.clock();
    this.committer = s.committer();
    this.heldLimit = s.heldLimit();
    DedupeSpace space = new DedupeSpace(s.dedupe(), s.clock(), s.io());
    this.keys = new KeyIndexes(space, s.dedupeDir(), logs, s.failStop(), s.committer() != null);
  }

  /**
   * Opens the state: replays snapshot and journals (putting back the processed keys their
   * checkpoint does not cover), recovers the producer keys from the logs, then writes a fresh
   * snapshot. A version 1 state is migrated this way: its records are read, the v2 snapshot is
   * written and made durable with the dedupe indexes checkpointed, and only then are the v1 files
   * deleted.
   */
  public static GroupStateStore open(Settings settings, LogView logs) throws IOException {
    GroupStateStore s = new GroupStateStore(settings, logs);
    StateReplay replay = new StateReplay(s);
    StateJournal.Opened opened =
        StateJournal.open(
            settings.io(),
            settings.stateDir(),
            settings.failStop(),
            settings.truncateCorrupt(),
            settings.committer() == null,
            replay);
    s.journal = opened.journal();
    s.epoch = replay.maxEpoch() + 1;
    s.tokens = new AtomicLong(s.epoch << 40);
    s.keys.recover(opened.end(), replay.legacyCheckpoints(), s::groupTopic);
    s.compact();
    if (opened.sawV1()) {
      LOG.info("group state in {} migrated from format version 1 to 2", settings.stateDir());
    }
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

  /**
   * Appends records to the journal (asking for compaction when it is full); returns the position of
   * the first.
   */
  long write(List<? extends StateRecord> records) {
    long position = journal.append(records);
    if (journal.size() > journalLimit && compactionAsked.compareAndSet(false, true)) {
      onJournalFull.run();
    }
    return position;
  }

  /** The group state of one group in one topic (created empty). */
  GroupTopic groupTopic(String group, String topic) {
    return groups
        .computeIfAbsent(topic, t -> new ConcurrentSkipListMap<>())
        .computeIfAbsent(group, g -> new GroupTopic(g, topic, heldLimit));
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

  /** The store clock's time in microseconds. */
  long nowMicros() {
    return Micros.now(clock);
  }

  /** The dedupe indexes. */
  KeyIndexes keys() {
    return keys;
  }

  /** Starts, acks, releases and extensions of leases. */
  public Settlements settlements() {
    return settlements;
  }

  /** A topic's producer idempotency keys. */
  public ProducerKeys producerKeys(String topic) {
    return keys.producer(topic);
  }

  // ------------------------------------------------------------------------------------- consuming

  /** See {@link io.sluice.spi.Storage#claim}. */
  public List<Lease> claim(ClaimRequest request) {
    int n = logs.config(request.topic()).partitions();
    GroupTopic g = groupTopic(request.group(), request.topic());
    List<Lease> out = new ArrayList<>(Math.min(request.maxMessages(), 1024));
    List<StateRecord> records = new ArrayList<>(0);
    int share = Math.max(1, request.maxMessages() / n);
    ReadAhead ahead =
        ReadAhead.read(logs, request.topic(), g.scanHints(), n, Math.min(1000, share));
    g.lock.lock();
    try {
      Claim claim = new Claim(g, request, clock.instant(), tokens, out, records, ahead);
      int first = Math.floorMod(g.nextRotation(), n);
      for (int pass = 0; pass < 2 && out.size() < request.maxMessages(); pass++) {
        for (int i = 0; i < n && out.size() < request.maxMessages(); i++) {
          int left = request.maxMessages() - out.size();
          claim.from(
              logs.partition(request.topic(), (first + i) % n),
              pass == 0 ? Math.min(share, left) : left);
        }
      }
      if (!records.isEmpty()) {
        write(records);
      }
      g.publishScanHints(n);
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
    return Progress.groupState(this, group, topic);
  }

  /**
   * The lowest committed offset of the topic's groups in a partition (a group that never consumed
   * it counts as the log start), or {@code Long.MAX_VALUE} when the topic has no groups.
   */
  public long minCommitted(String topic, int partition, long logStart) {
    return Progress.minCommitted(this, topic, partition, logStart);
  }

  /** See {@link Progress#reconcile}: called at open for each partition with its log end. */
  public void reconcile(String topic, int partition, long logEnd) {
    Progress.reconcile(this, topic, partition, logEnd);
  }

  /** See {@link io.sluice.spi.Storage#listGroups}. */
  public List<String> listGroups(String topic) {
    Map<String, GroupTopic> byGroup = groups.get(topic);
    return byGroup == null ? List.of() : List.copyOf(byGroup.keySet());
  }

  /** See {@link io.sluice.spi.Storage#isProcessed}. */
  public boolean isProcessed(String group, String topic, String key) {
    GroupTopic g = existing(group, topic);
    if (g == null) {
      return false;
    }
    g.lock.lock();
    try {
      return keys.isProcessed(g, key);
    } finally {
      g.lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------- housekeeping

  /**
   * Housekeeping: deletes dedupe buckets past their window and checkpoints the producer keys (so a
   * crash re-reads little of the log at open).
   */
  public void expire(Instant now) throws IOException {
    keys.expire();
    keys.checkpointProducers();
  }

  /** Bytes in the current journal. */
  public long journalBytes() {
    return journal.size();
  }

  /**
   * Writes a snapshot of everything and drops the older journal: rotate (the old journal is forced
   * and closed), write the snapshot's temp file (each group under its lock) and force it,
   * checkpoint the dedupe indexes up to the old journal's end, rename the snapshot into place, and
   * only then delete the older generation.
   */
  public void compact() throws IOException {
    compaction.lock();
    try {
      compactionAsked.set(false);
      long gen = journal.rotate();
      try (SnapshotWriter w = journal.snapshot(gen)) {
        w.add(new StateRecord.Open(epoch));
        for (Map<String, GroupTopic> byGroup : groups.values()) {
          for (GroupTopic g : byGroup.values()) {
            g.lock.lock();
            try {
              g.snapshot(w::add);
            } finally {
              g.lock.unlock();
            }
          }
        }
        w.finish();
        keys.checkpoint(StateJournal.start(gen) - 1);
        w.commit();
      }
      journal.dropBefore(gen);
    } finally {
      compaction.unlock();
    }
  }

  /** Forces the journal (the INTERVAL flush). */
  public void journalForce() throws IOException {
    journal.force();
  }

  /** Closes the journal without forcing, and drops the indexes unclosed (a simulated crash). */
  public void abandon() throws IOException {
    journal.abandon();
  }

  /** Closes the dedupe indexes, then forces and closes the journal. */
  public void close() throws IOException {
    try {
      keys.close();
    } finally {
      journal.close();
    }
  }

  /**
   * In-memory size of a group's state in a topic, for tests and benchmarks: entries, lease runs,
   * done ranges and held-back runs; null if the group has none.
   */
  public long[] size(String group, String topic) {
    GroupTopic g = existing(group, topic);
    if (g == null) {
      return null;
    }
    g.lock.lock();
    try {
      return g.size();
    } finally {
      g.lock.unlock();
    }
  }

  /** Mapped bytes and retained heap bytes of the dedupe indexes opened so far. */
  public long[] dedupeUsage() {
    return keys.usage();
  }
}
