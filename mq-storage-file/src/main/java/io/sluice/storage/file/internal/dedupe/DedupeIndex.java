package io.sluice.storage.file.internal.dedupe;

import io.sluice.api.error.StorageClosedException;
import io.sluice.api.error.StorageCorruptedException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.api.internal.Validation;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dedupe keys on disk with a heap cost independent of their number: one topic's producer
 * idempotency keys, or one group × topic's processed keys, each mapped to a {@link DedupeEntry} for
 * {@code window} after its accept time.
 *
 * <h2>Layout</h2>
 *
 * A directory holding {@code dedupe.meta} ({@link MetaFile}: the hash key, the checkpoint, the
 * epoch and fences) and one {@link BucketFile} per time bucket of {@code window /
 * bucketsPerWindow}: an open-addressing hash table of 48-byte slots ({@link SlotTable}), keyed by
 * the key's 128-bit {@link Fingerprint}, memory-mapped on use. An entry goes to the bucket of its
 * accept time; a bucket file is deleted whole once every entry it can hold is past the window, so
 * expiry never rewrites data. A lookup probes the buckets that can still hold a live entry, newest
 * first, and checks {@code now < acceptedAt + window} per entry. A table that reaches 70 % load
 * doubles into a new file.
 *
 * <h2>Crash semantics: a cache of the log with a durable checkpoint</h2>
 *
 * The log is the source of truth. {@link #advance} records, per partition, the highest log offset
 * whose keys have all been put; {@link #checkpoint} forces the written tables and then the meta
 * file, making those offsets durable; {@link #checkpointOffset} reads them back. After a crash the
 * store re-puts the keys of records after the checkpoint. Entries the crash left beyond the
 * checkpoint must not answer for records the log may have lost, so before the first put of a
 * session the meta file is marked dirty (one forced write), and a session that opens a dirty index
 * starts a new epoch with a {@link IndexState.Fence}: entries of earlier epochs beyond the
 * checkpoint read as absent until re-put (a re-put rewrites them in the new epoch). {@link
 * #truncate} fences a partition's entries at or beyond a new log end the same way. Torn slots read
 * as absent (see {@link SlotTable}).
 *
 * <h2>Cost</h2>
 *
 * Opening reads {@code dedupe.meta} (its header and two small state slots) and each bucket file's
 * 64-byte header, on first use; nothing else is read until a lookup touches a table's pages. Heap:
 * about 300 bytes per index, 200 per bucket file and 100 per mapping, plus 16 bytes per partition
 * named in the checkpoint ({@link #heapBytes}); no per-key structure. Mapped tables count against
 * the {@link DedupeSpace}'s budget.
 *
 * <h2>Threads</h2>
 *
 * Puts, {@link #advance}, {@link #checkpoint}, {@link #truncate}, {@link #expire} and {@link
 * #close} hold the index's lock (the store calls them under its per-topic lock anyway). {@link
 * #find} takes no lock unless it must map a table: lookups run concurrently with each other and
 * with one writer; a lookup racing a put of the same key may miss it.
 */
public final class DedupeIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DedupeIndex.class);
  private static final byte[] HASH_CHECK = "sluice-dedupe-bucket".getBytes(StandardCharsets.UTF_8);
  private static final long MAX_SPAN = 0xffffffffL;

  private final DedupeSpace space;
  private final FileIo io;
  private final Path dir;
  private final long window;
  private final long span;
  private final ReentrantLock lock = new ReentrantLock();
  private final SlotTable.Validity validity = this::valid;
  private volatile boolean loaded;
  private volatile boolean closed;
  private volatile long lastUse;
  private volatile TimeBuckets buckets;
  private volatile Checkpoints checkpoints;
  private long k0;
  private long k1;
  private long hashCheck;
  private int sink; // written so the JIT keeps the prefetching reads in findIn

  DedupeIndex(DedupeSpace space, Path dir, Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive; found " + window);
    }
    this.space = space;
    this.io = space.io();
    this.dir = dir;
    this.window = window.toMillis();
    int n = space.settings().bucketsPerWindow();
    this.span = Math.clamp((this.window + n - 1) / n, 1, MAX_SPAN);
  }

  /** Whether {@code dir} holds an index (its meta file); reads nothing. */
  public static boolean existsIn(Path dir) {
    return java.nio.file.Files.exists(dir.resolve(MetaFile.NAME));
  }

  public Path directory() {
    return dir;
  }

  public Duration window() {
    return Duration.ofMillis(window);
  }

  /**
   * The live entry of {@code key} ({@code now < acceptedAt + window} on the space's clock, not
   * fenced), or null.
   *
   * @throws io.sluice.api.error.InvalidMessageException if the key is empty or not valid Unicode
   * @throws io.sluice.api.error.MessageTooLargeException if the key exceeds 256 UTF-8 bytes
   * @throws StorageCorruptedException if a file of the index is damaged beyond a torn slot
   * @throws StorageClosedException after {@link #close}
   */
  public DedupeEntry find(String key) {
    byte[] bytes = keyBytes(key);
    if (!loaded || closed) {
      locked(() -> null);
    }
    lastUse = System.nanoTime();
    return findIn(fingerprint(bytes), space.clock().millis());
  }

  /**
   * Stores {@code entry} for {@code key} unless the key already has a live entry, which it returns
   * unchanged (re-putting the same entry is a no-op; a different one keeps the first). Returns null
   * if the entry was stored, or if it is already past the window (then nothing is stored). The
   * first put of a session forces one small write to {@code dedupe.meta}.
   */
  public DedupeEntry putIfAbsent(String key, DedupeEntry entry) {
    byte[] bytes = keyBytes(key);
    return locked(
        () -> {
          long now = space.clock().millis();
          if (now - window >= entry.acceptedAt()) {
            return null;
          }
          Fingerprint fp = fingerprint(bytes);
          DedupeEntry existing = findIn(fp, now);
          if (existing != null) {
            return existing;
          }
          checkpoints.beforePut(io);
          insert(bucketFor(entry.acceptedAt(), now), fp, entry, now);
          checkpoints.put(entry.partition(), entry.offset());
          return null;
        });
  }

  /**
   * Stores {@code entry} for a key that {@link #find} has just reported absent, under a lock of the
   * caller's that every put of this index also holds: skips the search of the other buckets (only
   * the probe path in the entry's own bucket is checked, where a live entry of the key is kept), so
   * a keyed append costs one search, not two. Use {@link #putIfAbsent} when unsure.
   */
  public void put(String key, DedupeEntry entry) {
    byte[] bytes = keyBytes(key);
    locked(
        () -> {
          long now = space.clock().millis();
          if (now - window < entry.acceptedAt()) {
            checkpoints.beforePut(io);
            insert(bucketFor(entry.acceptedAt(), now), fingerprint(bytes), entry, now);
            checkpoints.put(entry.partition(), entry.offset());
          }
          return null;
        });
  }

  /**
   * Declares that the keys of every log record of {@code partition} up to {@code offset} have been
   * put; durable at the next {@link #checkpoint}. Only raises. The caller passes offsets the log
   * itself has made durable by then, or the checkpoint may promise keys of records a crash lost.
   */
  public void advance(int partition, long offset) {
    locked(
        () -> {
          checkpoints.advance(partition, offset);
          return null;
        });
  }

  /** The durable checkpoint of {@code partition}: re-put the keys of records after it; -1: all. */
  public long checkpointOffset(int partition) {
    return locked(() -> checkpoints.durable(partition));
  }

  /**
   * Makes everything put and advanced so far durable: forces the written tables, then writes and
   * forces the checkpoint in {@code dedupe.meta}. Does nothing if nothing changed.
   */
  public void checkpoint() {
    locked(
        () -> {
          checkpointLocked();
          return null;
        });
  }

  /**
   * Declares that the log of {@code partition} now ends at {@code endOffset} (a recovery cut its
   * tail): entries of records at or beyond it read as absent from now on, durably, and the
   * checkpoint drops below it. Call it on open for every partition; it writes only if an entry
   * could lie beyond the end.
   */
  public void truncate(int partition, long endOffset) {
    locked(
        () -> {
          checkpoints.truncate(io, partition, endOffset, buckets.newestStart());
          return null;
        });
  }

  /**
   * Deletes the bucket files whose entries are all past the window; returns how many. Creating a
   * bucket does this too; call it from housekeeping so that idle indexes free their disk.
   */
  public int expire() {
    return locked(() -> expireLocked(space.clock().millis()));
  }

  /** Forces and drops this index's mappings (it maps again on next use). */
  public void release() {
    locked(
        () -> {
          releaseLocked();
          return null;
        });
  }

  /** Checkpoints and releases; later calls throw {@link StorageClosedException}. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed && loaded) {
        checkpointLocked();
        releaseLocked();
      }
      closed = true;
    } catch (IOException e) {
      throw new StorageFailedException("closing the dedupe index in " + dir + " failed", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The heap this index retains, by design: fixed fields, bucket files and their mappings, the
   * per-partition checkpoint arrays and the fences; never anything per key.
   */
  public long heapBytes() {
    long bytes = 256;
    TimeBuckets tb = buckets;
    for (BucketFile b : tb == null ? new BucketFile[0] : tb.newestFirst()) {
      SlotTable t = b.table();
      bytes += 200 + (t == null ? 0 : 48 + 100L * t.mappings());
    }
    Checkpoints c = checkpoints;
    return bytes + (c == null ? 0 : c.heapBytes());
  }

  long lastUse() {
    return lastUse;
  }

  /** Releases the mappings if no other thread holds the lock (for the space's budget). */
  void tryRelease() {
    if (lock.tryLock()) {
      try {
        releaseLocked();
      } finally {
        lock.unlock();
      }
    }
  }

  // ----------------------------------------------------------------------------------- internals

  private interface Work<T> {
    T run() throws IOException;
  }

  private <T> T locked(Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new StorageClosedException("the dedupe index in " + dir);
      }
      if (!loaded) {
        load();
      }
      lastUse = System.nanoTime();
      return work.run();
    } catch (IOException e) {
      throw new StorageFailedException("the dedupe index in " + dir + " failed: " + e, e);
    } finally {
      lock.unlock();
    }
  }

  /** Reads {@code dedupe.meta} and the bucket headers (creating the index if new). */
  private void load() throws IOException {
    MetaFile.Loaded l = MetaFile.openOrCreate(io, dir, space::randomKey);
    k0 = l.meta().k0;
    k1 = l.meta().k1;
    hashCheck = Fingerprint.of(k0, k1, HASH_CHECK, HASH_CHECK.length).first();
    buckets = new TimeBuckets(BucketFile.openAll(io, dir, hashCheck), span, window);
    checkpoints = new Checkpoints(l.meta(), l.state(), buckets.newestStart());
    if (checkpoints.recovered()) {
      LOG.warn(
          "Dedupe index {} may hold entries beyond its checkpoint {} (a crash, or puts never"
              + " advanced): they read as absent until put again (epoch {})",
          dir,
          checkpoints.describeDurable(),
          checkpoints.epoch());
    }
    loaded = true;
    expireLocked(space.clock().millis());
  }

  private static byte[] keyBytes(String key) {
    Validation.idempotencyKey(key);
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private Fingerprint fingerprint(byte[] key) {
    return Fingerprint.of(k0, k1, key, key.length);
  }

  private DedupeEntry findIn(Fingerprint fp, long now) {
    BucketFile[] bs = buckets.newestFirst();
    int touched = 0;
    for (BucketFile b : bs) {
      SlotTable t = b.table();
      touched += t == null ? 0 : t.touch(fp.first());
    }
    sink = touched;
    for (BucketFile b : bs) {
      if (b.mayHoldLive(now, window)) {
        SlotTable t = mapped(b);
        int s = t == null ? -1 : t.find(fp.first(), fp.second(), b.start, validity, now);
        if (s >= 0) {
          return t.entry(s, b.start);
        }
      }
    }
    return null;
  }

  private boolean valid(int partition, long offset, int slotEpoch, long acceptedAt, long now) {
    return now - window < acceptedAt && !checkpoints.hides(partition, offset, slotEpoch);
  }

  /** {@code b}'s table, mapping it if needed; null if {@code b} has expired meanwhile. */
  private SlotTable mapped(BucketFile b) {
    SlotTable t = b.table();
    if (t != null) {
      return t;
    }
    lock.lock();
    try {
      BucketFile current = buckets.current(b.start);
      if (current == null || closed) {
        return null;
      }
      t = current.table();
      if (t == null) {
        t = current.map(io);
        space.charge(this, t.mappedBytes, t.mappings());
      }
      return t;
    } catch (IOException e) {
      throw new StorageFailedException("mapping " + b.path + " failed: " + e, e);
    } finally {
      lock.unlock();
    }
  }

  /** The bucket for an accept time, created if needed (then expired buckets are deleted). */
  private BucketFile bucketFor(long acceptedAt, long now) throws IOException {
    BucketFile b = buckets.containing(acceptedAt);
    if (b == null) {
      long[] range = buckets.rangeFor(acceptedAt);
      int log2 = buckets.nextLog2(Integer.numberOfTrailingZeros(space.settings().initialSlots()));
      b = BucketFile.create(io, dir, range[0], range[1], log2, hashCheck);
      buckets.add(b);
      expireLocked(now);
    }
    return b;
  }

  private void insert(BucketFile b, Fingerprint fp, DedupeEntry e, long now) throws IOException {
    SlotTable t = mapped(b);
    if (b.full(t)) {
      b = grow(b, now);
      t = mapped(b);
    }
    int epoch = checkpoints.epoch();
    while (t.insert(fp.first(), fp.second(), e, epoch, b.start, validity, now) == SlotTable.FULL) {
      b = grow(b, now);
      t = mapped(b);
    }
    b.written();
  }

  private BucketFile grow(BucketFile b, long now) throws IOException {
    BucketFile bigger = b.grow(io, hashCheck, validity, now);
    buckets.replace(b, bigger);
    discharge(b.drop());
    return bigger;
  }

  private int expireLocked(long now) {
    List<BucketFile> gone = buckets.removeExpired(now);
    for (BucketFile b : gone) {
      discharge(b.drop());
      b.delete(io);
    }
    if (!gone.isEmpty()) {
      checkpoints.prune(buckets::anyAtOrBefore);
    }
    return gone.size();
  }

  private void checkpointLocked() throws IOException {
    if (checkpoints.pending()) {
      for (BucketFile b : buckets.newestFirst()) {
        b.force();
      }
      checkpoints.checkpoint(io);
    }
  }

  private void releaseLocked() {
    for (BucketFile b : buckets.newestFirst()) {
      discharge(b.release());
    }
    space.released(this);
  }

  private void discharge(SlotTable t) {
    if (t != null) {
      space.discharge(t.mappedBytes, t.mappings());
    }
  }

  @Override
  public String toString() {
    return "DedupeIndex[" + dir + "]";
  }
}
