package io.sluice.storage.file.internal.dedupe;

import java.util.Arrays;
import java.util.List;

/**
 * One durable state of a {@link DedupeIndex}, as its {@link MetaFile} stores it.
 *
 * @param sequence increases by one with every write (the newer of the two state slots wins)
 * @param epoch the session number stamped into every slot written while this state is current; it
 *     grows when a session starts after a crash or a truncation, so {@link Fence}s can tell older
 *     entries from newer ones
 * @param dirty whether the index may hold entries beyond {@code checkpoints} (set before the first
 *     such put, cleared by a checkpoint that covers every put); a session that opens a dirty state
 *     fences the uncovered entries
 * @param checkpoints per partition (the array index) the highest offset whose keys are guaranteed
 *     in the index, or -1
 * @param fences entries written before a crash or truncation that must read as absent
 */
record IndexState(long sequence, int epoch, boolean dirty, long[] checkpoints, List<Fence> fences) {

  IndexState {
    checkpoints = checkpoints.clone();
    fences = List.copyOf(fences);
  }

  /** The state of a new index. */
  static IndexState initial() {
    return new IndexState(1, 1, false, new long[0], List.of());
  }

  /** The checkpoint of {@code partition}, or -1. */
  long checkpoint(int partition) {
    return partition < checkpoints.length ? checkpoints[partition] : -1;
  }

  /**
   * Entries written in an epoch before {@code epoch} whose offset in their partition is above that
   * partition's bound read as absent. A fence is dropped once every bucket file that existed when
   * it was made ({@code start <= lastBucketStart}) has expired.
   *
   * @param bounds per partition (the array index) the highest offset still trusted
   * @param otherBound the bound of partitions beyond {@code bounds}
   */
  record Fence(int epoch, long lastBucketStart, long otherBound, long[] bounds) {
    Fence {
      bounds = bounds.clone();
    }

    /** Whether an entry at {@code (partition, offset)} written in {@code entryEpoch} is hidden. */
    boolean hides(int partition, long offset, int entryEpoch) {
      return entryEpoch < epoch
          && offset > (partition < bounds.length ? bounds[partition] : otherBound);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fence f
          && f.epoch == epoch
          && f.lastBucketStart == lastBucketStart
          && f.otherBound == otherBound
          && Arrays.equals(f.bounds, bounds);
    }

    @Override
    public int hashCode() {
      return epoch * 31 + Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
      return "Fence[epoch="
          + epoch
          + ", lastBucketStart="
          + lastBucketStart
          + ", otherBound="
          + otherBound
          + ", bounds="
          + Arrays.toString(bounds)
          + "]";
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexState s
        && s.sequence == sequence
        && s.epoch == epoch
        && s.dirty == dirty
        && Arrays.equals(s.checkpoints, checkpoints)
        && s.fences.equals(fences);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequence) * 31 + epoch;
  }

  @Override
  public String toString() {
    return "IndexState[sequence="
        + sequence
        + ", epoch="
        + epoch
        + ", dirty="
        + dirty
        + ", checkpoints="
        + Arrays.toString(checkpoints)
        + ", fences="
        + fences
        + "]";
  }
}
