package io.sluice.storage.file.internal.dedupe;

import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The live side of a {@link DedupeIndex}'s {@link IndexState}: per partition what has been put and
 * advanced, the epoch and the fences, written to the {@link MetaFile} on demand. Guarded by the
 * index's lock, except {@link #hides}, which lookups call without it.
 */
final class Checkpoints {
  private static final IndexState.Fence[] NO_FENCES = {};

  private MetaFile meta;
  private long sequence;
  private int epoch;
  private boolean dirtyOnDisk;
  private boolean stale;
  private boolean changed;
  private long[] durable;
  private long[] advanced;
  private long[] maxPut = new long[0];
  private volatile IndexState.Fence[] fences;

  /**
   * Takes over the state read from {@code meta}. A dirty state (a crash, or puts never advanced)
   * starts a new epoch fencing everything beyond the checkpoint, if any bucket file ({@code
   * newestStart} is the largest start, or null) can hold such entries; returns through {@link
   * #recovered()}.
   */
  Checkpoints(MetaFile meta, IndexState state, Long newestStart) {
    this.meta = meta;
    this.sequence = state.sequence();
    this.epoch = state.epoch();
    this.dirtyOnDisk = state.dirty();
    this.durable = state.checkpoints().clone();
    this.advanced = durable.clone();
    this.fences = state.fences().toArray(NO_FENCES);
    if (state.dirty()) {
      epoch++;
      stale = true;
      if (newestStart != null) {
        addFence(new IndexState.Fence(epoch, newestStart, -1, durable));
      }
    }
  }

  MetaFile meta() {
    return meta;
  }

  /** Whether opening found a dirty state (and started a new epoch). */
  boolean recovered() {
    return stale;
  }

  int epoch() {
    return epoch;
  }

  long durable(int partition) {
    return at(durable, partition);
  }

  String describeDurable() {
    return Arrays.toString(durable);
  }

  /** Whether an entry written in {@code entryEpoch} at {@code (partition, offset)} is fenced. */
  boolean hides(int partition, long offset, int entryEpoch) {
    for (IndexState.Fence f : fences) {
      if (f.hides(partition, offset, entryEpoch)) {
        return true;
      }
    }
    return false;
  }

  /** Before writing a slot: makes the dirty mark and the current epoch durable if they are not. */
  void beforePut(FileIo io) throws IOException {
    if (!dirtyOnDisk || stale) {
      write(io, true);
    }
  }

  void put(int partition, long offset) {
    maxPut = raise(maxPut, partition, offset);
    changed = true;
  }

  void advance(int partition, long offset) {
    advanced = raise(advanced, partition, offset);
    changed = true;
  }

  /**
   * Fences {@code partition}'s entries at or beyond {@code end}, durably, if any can exist ({@code
   * newestStart}: the largest bucket start, or null if there is no bucket file).
   */
  void truncate(FileIo io, int partition, long end, Long newestStart) throws IOException {
    long last = end - 1;
    if (at(durable, partition) <= last
        && at(advanced, partition) <= last
        && at(maxPut, partition) <= last) {
      return;
    }
    lower(durable, partition, last);
    lower(advanced, partition, last);
    lower(maxPut, partition, last);
    if (newestStart != null) {
      long[] bounds = new long[partition + 1];
      Arrays.fill(bounds, Long.MAX_VALUE);
      bounds[partition] = last;
      epoch++;
      addFence(new IndexState.Fence(epoch, newestStart, Long.MAX_VALUE, bounds));
    }
    write(io, !covered());
  }

  /** Drops the fences no remaining bucket can need ({@code anyAtOrBefore(start)} is false). */
  void prune(LongPredicate anyAtOrBefore) {
    List<IndexState.Fence> kept = new ArrayList<>();
    for (IndexState.Fence f : fences) {
      if (anyAtOrBefore.test(f.lastBucketStart())) {
        kept.add(f);
      }
    }
    if (kept.size() != fences.length) {
      fences = kept.toArray(NO_FENCES);
      changed = true;
    }
  }

  /** Whether {@link #checkpoint} has anything to write. */
  boolean pending() {
    return changed || stale;
  }

  /** Makes what was advanced the durable checkpoint (the caller forced the tables first). */
  void checkpoint(FileIo io) throws IOException {
    long[] next = advanced.clone();
    write(io, next, !covered());
    durable = next;
    changed = false;
  }

  private void write(FileIo io, boolean dirty) throws IOException {
    write(io, durable, dirty);
  }

  /** Writes a state; memory changes only once it is durable. */
  private void write(FileIo io, long[] checkpoints, boolean dirty) throws IOException {
    IndexState s = new IndexState(sequence + 1, epoch, dirty, checkpoints, Arrays.asList(fences));
    meta = meta.write(io, s);
    sequence++;
    dirtyOnDisk = dirty;
    stale = false;
  }

  /** Whether every put of this session is at or below what has been advanced. */
  private boolean covered() {
    for (int p = 0; p < maxPut.length; p++) {
      if (maxPut[p] > at(advanced, p)) {
        return false;
      }
    }
    return true;
  }

  long heapBytes() {
    long bytes = 64 + 8L * (durable.length + advanced.length + maxPut.length);
    for (IndexState.Fence f : fences) {
      bytes += 64 + 8L * f.bounds().length;
    }
    return bytes;
  }

  private void addFence(IndexState.Fence f) {
    IndexState.Fence[] fs = Arrays.copyOf(fences, fences.length + 1);
    fs[fs.length - 1] = f;
    fences = fs;
  }

  private static long at(long[] values, int partition) {
    return partition < values.length ? values[partition] : -1;
  }

  private static long[] raise(long[] values, int partition, long value) {
    if (partition < 0 || partition > DedupeEntry.MAX_PARTITION) {
      throw new IllegalArgumentException(
          "partition must be 0 to " + DedupeEntry.MAX_PARTITION + "; found " + partition);
    }
    long[] v = values;
    if (partition >= v.length) {
      v = Arrays.copyOf(v, partition + 1);
      Arrays.fill(v, values.length, v.length, -1);
    }
    v[partition] = Math.max(v[partition], value);
    return v;
  }

  private static void lower(long[] values, int partition, long value) {
    if (partition < values.length && values[partition] > value) {
      values[partition] = value;
    }
  }
}
