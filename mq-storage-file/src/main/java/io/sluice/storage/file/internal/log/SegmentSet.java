package io.sluice.storage.file.internal.log;

import io.sluice.api.Message;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.StorageCorruptedException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.io.Forceable;
import io.sluice.storage.file.internal.io.GroupCommitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * One partition's log: its segments in a skip list keyed by base offset (lookup by {@code
 * floorEntry}), the append path, the read path and retention deletes.
 *
 * <p><b>Commit.</b> An append encodes the batch into a pooled buffer and writes it with one
 * positional write at the end of the active segment, under the partition lock. It then publishes a
 * new <i>written mark</i>. Readers only see the <i>visible mark</i>: under {@code SYNC} the group
 * committer moves it after the force that covers the data; otherwise the append moves it right
 * after the write. A batch is therefore visible whole or not at all.
 *
 * <p>Under {@code SYNC} a force excludes writes to the partition (the force gate): measured here,
 * appends racing an {@code fdatasync} on the same file made each force 4x slower, so writes wait
 * for the force and then go out together before the next one.
 */
public final class SegmentSet implements Forceable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SegmentSet.class);

  /**
   * End of readable data: offsets below {@code endOffset}, bytes below {@code bytes} in segment.
   */
  record Mark(long endOffset, Segment segment, long bytes) {}

  private final String topic;
  private final int partition;
  private final Path dir;
  private final LogSettings settings;
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantReadWriteLock forceGate = new ReentrantReadWriteLock();
  private final java.util.concurrent.atomic.AtomicInteger appending =
      new java.util.concurrent.atomic.AtomicInteger();
  private final ConcurrentLinkedQueue<Queued> queued = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /** A batch waiting for the group committer to write it. */
  private record Queued(
      List<Message> messages, int bytes, Instant now, CompletableFuture<Long> base) {}

  private volatile Segment active;
  private volatile Mark written;
  private volatile Mark visible;
  private volatile Mark forced;
  private long nextOffset;

  private SegmentSet(String topic, int partition, Path dir, LogSettings settings) {
    this.topic = topic;
    this.partition = partition;
    this.dir = dir;
    this.settings = settings;
  }

  /** Opens (creating if empty) a partition directory and recovers its active segment. */
  public static SegmentSet open(String topic, int partition, Path dir, LogSettings s, long now)
      throws IOException {
    Files.createDirectories(dir);
    SegmentSet set = new SegmentSet(topic, partition, dir, s);
    List<Long> bases;
    try (Stream<Path> files = Files.list(dir)) {
      bases =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d{20}\\.log"))
              .map(n -> Long.parseLong(n.substring(0, 20)))
              .sorted()
              .toList();
    }
    for (long base : bases) {
      set.segments.put(base, Segment.open(s.io(), dir, base, s.indexInterval(), now));
    }
    if (set.segments.isEmpty()) {
      Segment first = Segment.create(s.io(), dir, 0, s.indexInterval(), now);
      s.io().forceDirectory(dir);
      s.io().forceDirectory(dir.getParent()); // the new partition directory's own entry
      set.segments.put(0L, first);
    }
    Segment last = set.segments.lastEntry().getValue();
    last.recover(s.truncateCorrupt());
    if (s.mappedWrites()) {
      last.mapForWrites(s.segmentBytes());
    }
    set.active = last;
    set.nextOffset = last.nextOffset();
    set.written = new Mark(set.nextOffset, last, last.size());
    set.visible = set.written;
    set.forced = set.written;
    return set;
  }

  /** The topic this partition belongs to. */
  public String topic() {
    return topic;
  }

  /** The partition number. */
  public int partition() {
    return partition;
  }

  /** The oldest retained offset. */
  public long logStart() {
    return segments.firstKey();
  }

  /** The end of the visible log: the offset the next visible message gets. */
  public long endOffset() {
    return visible.endOffset();
  }

  /**
   * Appends {@code messages} as one batch of {@code bytes} encoded bytes (header included), written
   * by the calling thread, and returns its base offset. Under {@code SYNC} the caller must then
   * wait for the group commit before answering.
   *
   * @throws StorageFailedException on any I/O error (and the store fails stop)
   */
  public long append(List<Message> messages, int bytes, Instant now) {
    appending.incrementAndGet();
    lock.lock();
    try {
      return appendLocked(messages, bytes, now, settings.sync());
    } finally {
      lock.unlock();
      appending.decrementAndGet();
    }
  }

  /**
   * {@code SYNC} only: hands the batch to the group committer's thread, which writes it together
   * with the others it gathered, forces, and then completes the future with the base offset. The
   * caller must {@link GroupCommitter#request} this log after queueing.
   */
  public CompletableFuture<Long> enqueue(List<Message> messages, int bytes, Instant now) {
    settings.failStop().check();
    Queued q = new Queued(messages, bytes, now, new CompletableFuture<>());
    queued.add(q);
    if (closed) {
      failQueued(new StorageFailedException("store closed before the append was written", null));
    }
    return q.base();
  }

  private long appendLocked(List<Message> messages, int bytes, Instant now, boolean gated) {
    int count = messages.size();
    ByteBuffer buf = settings.buffers().takeWrite(bytes);
    try {
      settings.failStop().check();
      long base = nextOffset;
      BatchCodec.encode(buf, base, messages, 0, count, now);
      buf.flip();
      long maxTs = buf.getLong(buf.position() + BatchCodec.MAX_TIMESTAMP_AT);
      Segment seg = active;
      if (seg.size() > 0
          && (seg.size() + bytes > settings.segmentBytes()
              || now.toEpochMilli() - seg.createdMillis() >= settings.segmentAgeMillis())) {
        seg = roll(now);
      }
      if (gated) {
        forceGate.readLock().lock();
        try {
          seg.append(buf, base, count, maxTs);
        } finally {
          forceGate.readLock().unlock();
        }
      } else {
        seg.append(buf, base, count, maxTs);
      }
      nextOffset = base + count;
      Mark m = new Mark(nextOffset, seg, seg.size());
      written = m;
      if (!settings.sync()) {
        visible = m;
      }
      return base;
    } catch (IOException e) {
      throw settings.failStop().fail("append to " + active.file(), e);
    } finally {
      settings.buffers().giveWrite(buf);
    }
  }

  @Override
  public void failQueued(RuntimeException e) {
    Queued q;
    while ((q = queued.poll()) != null) {
      q.base().completeExceptionally(e);
    }
  }

  /** Writes every queued batch (committer thread); returns them with their base offsets. */
  private List<Queued> writeQueued(List<Long> bases) {
    List<Queued> done = new ArrayList<>();
    if (queued.isEmpty()) {
      return done;
    }
    lock.lock();
    try {
      Queued q;
      while ((q = queued.poll()) != null) {
        try {
          bases.add(appendLocked(q.messages(), q.bytes(), q.now(), false));
          done.add(q);
        } catch (RuntimeException e) {
          q.base().completeExceptionally(e);
          done.forEach(d -> d.base().completeExceptionally(e));
          failQueued(e);
          throw e; // the store failed (the write tripped its fail-stop)
        }
      }
      return done;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean writesInProgress() {
    return appending.get() > 0;
  }

  private Segment roll(Instant now) throws IOException {
    Segment old = active;
    old.persistIndex();
    old.unmap();
    if (settings.forceOnRoll()) {
      old.force();
    }
    Segment next =
        Segment.create(
            settings.io(), dir, nextOffset, settings.indexInterval(), now.toEpochMilli());
    if (settings.forceOnRoll()) {
      settings.io().forceDirectory(dir);
    }
    if (settings.mappedWrites()) {
      next.mapForWrites(settings.segmentBytes());
    }
    segments.put(nextOffset, next);
    active = next;
    return next;
  }

  /** Whether data was written that the last {@link #force()} did not cover. */
  public boolean dirty() {
    return written != forced;
  }

  /**
   * Forces the active segment and makes everything written before the call visible. Called by the
   * group committer (and the interval flusher) only.
   */
  @Override
  public void force() throws IOException {
    List<Long> bases = new ArrayList<>();
    List<Queued> drained = writeQueued(bases);
    Mark m;
    forceGate.writeLock().lock();
    try {
      m = written;
      if (m != forced) {
        m.segment().force();
      }
      if (settings.sync()) {
        settings.failStop().check(); // failed meanwhile (a sender gave up waiting): not a commit
      }
      forced = m;
    } catch (IOException e) {
      RuntimeException failure = settings.failStop().fail("force (fsync) failed", e);
      drained.forEach(d -> d.base().completeExceptionally(failure));
      throw e;
    } catch (RuntimeException e) {
      drained.forEach(d -> d.base().completeExceptionally(e));
      throw e;
    } finally {
      forceGate.writeLock().unlock();
    }
    if (settings.sync()) {
      publish(m);
    }
    for (int i = 0; i < drained.size(); i++) {
      drained.get(i).base().complete(bases.get(i));
    }
  }

  /**
   * Fail-stop under {@code SYNC}: cuts the log back to the end of its last successful force. What
   * lies beyond was never receipted (its senders fail) and never visible (the visible mark never
   * passes the forced one); cutting it keeps it from coming back from the page cache after a
   * reopen. Segments sealed since that force were forced when rolled, so at most the active one is
   * cut. Under {@code OS} and {@code INTERVAL} written data was receipted and is kept.
   */
  @Override
  public void discardUnforced() {
    if (!settings.sync()) {
      return;
    }
    lock.lock();
    forceGate.writeLock().lock();
    try {
      Mark f = forced;
      Segment act = active;
      long keep = f.segment() == act ? f.bytes() : 0;
      long end = f.segment() == act ? f.endOffset() : act.baseOffset();
      if (act.size() == keep) {
        return;
      }
      LOG.warn(
          "{}: cutting {} bytes written after the last successful force (offsets {} to {})",
          act.file(),
          act.size() - keep,
          end,
          nextOffset - 1);
      act.cutTo(keep, end);
      nextOffset = end;
      written = new Mark(end, act, keep);
      forced = written;
      forceCut(act);
    } catch (IOException e) {
      LOG.warn("cutting unforced data of {}-{} failed", topic, partition, e);
    } finally {
      forceGate.writeLock().unlock();
      lock.unlock();
    }
  }

  /** Tries to make a cut durable; a failure only means the cut may not survive a power loss. */
  private static void forceCut(Segment act) {
    try {
      act.force();
    } catch (IOException e) {
      LOG.debug("forcing the cut of {} failed", act.file(), e);
    }
  }

  private void publish(Mark m) {
    lock.lock();
    try {
      if (m.endOffset() >= visible.endOffset()) {
        visible = m;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads up to {@code max} visible messages from {@code from}.
   *
   * @throws OffsetOutOfRangeException outside {@code [logStart, end]}
   * @throws StorageCorruptedException when a batch fails its checks
   */
  public List<StoredMessage> read(long from, int max) {
    return PartitionReader.read(this, from, max);
  }

  /** The first offset whose message timestamp is at or after {@code ts}, or the end. */
  public long offsetForTimestamp(Instant ts) {
    return PartitionReader.offsetForTimestamp(this, ts);
  }

  Mark visibleMark() {
    return visible;
  }

  ConcurrentSkipListMap<Long, Segment> segmentMap() {
    return segments;
  }

  LogSettings settings() {
    return settings;
  }

  /** The sealed segments, oldest first (never the active one). */
  public List<Segment> sealed() {
    Segment act = active;
    return segments.values().stream().filter(s -> s != act).toList();
  }

  /**
   * Rolls a non-empty active segment so retention can delete it; skipped (returns false) while
   * written data awaits its force.
   */
  public boolean rollForRetention(Instant now) {
    lock.lock();
    try {
      if (active.size() == 0 || written != visible) {
        return false;
      }
      Segment next = roll(now);
      written = new Mark(nextOffset, next, 0);
      visible = written;
      forced = written;
      return true;
    } catch (IOException e) {
      throw settings.failStop().fail("roll of " + active.file(), e);
    } finally {
      lock.unlock();
    }
  }

  /** The active segment's bytes and largest timestamp (epoch ms). */
  public long[] activeStats() throws IOException {
    Segment a = active;
    return new long[] {a.size(), a.size() == 0 ? Long.MIN_VALUE : a.maxTimestamp()};
  }

  /** The base offset of the active segment. */
  public long activeBase() {
    return active.baseOffset();
  }

  /** The bytes of all segments. */
  public long sizeBytes() {
    long total = 0;
    for (Segment s : segments.values()) {
      total += s.size();
    }
    return total;
  }

  /** The largest timestamp in a sealed segment, epoch ms. */
  public long maxTimestamp(Segment s) throws IOException {
    return s.maxTimestamp();
  }

  /**
   * Removes the oldest segment (must be sealed): out of the map first, then its files. Excludes a
   * concurrent force, which could otherwise meet the segment just rolled for retention closed.
   */
  public long deleteOldest() throws IOException {
    lock.lock();
    forceGate.writeLock().lock();
    try {
      Map.Entry<Long, Segment> first = segments.firstEntry();
      Map.Entry<Long, Segment> second = segments.higherEntry(first.getKey());
      if (second == null) {
        return 0;
      }
      segments.remove(first.getKey());
      first.getValue().delete();
      return second.getKey() - first.getKey();
    } finally {
      forceGate.writeLock().unlock();
      lock.unlock();
    }
  }

  /** Closes every file without flushing anything (a simulated crash). */
  public void abandon() throws IOException {
    closed = true;
    failQueued(new StorageFailedException("store closed before the append was written", null));
    for (Segment s : segments.values()) {
      s.close();
    }
  }

  /**
   * Persists the active index, forces if asked, and closes every file. Without a force (the store
   * failed) what was never forced is cut first ({@link #discardUnforced}).
   */
  public void close(boolean force) throws IOException {
    closed = true;
    failQueued(new StorageFailedException("store closed before the append was written", null));
    if (!force) {
      discardUnforced();
    }
    lock.lock();
    try {
      Segment act = active;
      act.persistIndex();
      act.unmap();
      if (force) {
        act.force();
      }
      for (Segment s : segments.values()) {
        s.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
