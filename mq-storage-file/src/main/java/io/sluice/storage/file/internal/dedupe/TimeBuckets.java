package io.sluice.storage.file.internal.dedupe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link BucketFile}s of one index, newest (largest start) first, and which bucket an accept
 * time belongs to. Bucket {@code [start, end)} is aligned to multiples of the span and clipped
 * where it would overlap an existing bucket (whose span may differ if the window changed). Changed
 * under the index's lock; {@link #newestFirst} may be read without it.
 */
final class TimeBuckets {
  private static final BucketFile[] NONE = {};

  private final long span;
  private final long window;
  private volatile BucketFile[] buckets;

  TimeBuckets(List<BucketFile> newestFirst, long span, long window) {
    this.buckets = newestFirst.toArray(NONE);
    this.span = span;
    this.window = window;
  }

  BucketFile[] newestFirst() {
    return buckets;
  }

  /** The newest bucket's start, or null if there is none. */
  Long newestStart() {
    BucketFile[] bs = buckets;
    return bs.length == 0 ? null : bs[0].start;
  }

  /** The bucket now starting at {@code start} (it may have grown into a new file), or null. */
  BucketFile current(long start) {
    for (BucketFile b : buckets) {
      if (b.start == start) {
        return b;
      }
    }
    return null;
  }

  /** The bucket holding accept time {@code t}, or null. */
  BucketFile containing(long t) {
    for (BucketFile b : buckets) {
      if (b.start <= t && t < b.end) {
        return b;
      }
    }
    return null;
  }

  /** {@code [start, end)} of a new bucket for accept time {@code t} (none holds it yet). */
  long[] rangeFor(long t) {
    long start = Math.floorDiv(t, span) * span;
    long end = start + span;
    for (BucketFile b : buckets) {
      start = b.end <= t ? Math.max(start, b.end) : start;
      end = b.start > t ? Math.min(end, b.start) : end;
    }
    return new long[] {start, end};
  }

  /**
   * The log2 capacity for a new bucket: enough for the newest bucket's count at 70 % load (if it is
   * mapped), at least {@code initial}.
   */
  int nextLog2(int initial) {
    BucketFile[] bs = buckets;
    SlotTable t = bs.length == 0 ? null : bs[0].table();
    if (t == null) {
      return initial;
    }
    long slots = t.count() * 10L / 7 + 1;
    return Math.clamp(64 - Long.numberOfLeadingZeros(slots - 1), initial, BucketFile.MAX_LOG2);
  }

  void add(BucketFile b) {
    List<BucketFile> all = new ArrayList<>(Arrays.asList(buckets));
    all.add(b);
    all.sort((x, y) -> Long.compare(y.start, x.start));
    buckets = all.toArray(NONE);
  }

  void replace(BucketFile old, BucketFile grown) {
    BucketFile[] bs = buckets.clone();
    for (int i = 0; i < bs.length; i++) {
      bs[i] = bs[i] == old ? grown : bs[i];
    }
    buckets = bs;
  }

  /** Removes and returns the buckets whose entries are all past the window at {@code now}. */
  List<BucketFile> removeExpired(long now) {
    List<BucketFile> keep = new ArrayList<>();
    List<BucketFile> gone = new ArrayList<>();
    for (BucketFile b : buckets) {
      (b.mayHoldLive(now, window) ? keep : gone).add(b);
    }
    if (!gone.isEmpty()) {
      buckets = keep.toArray(NONE);
    }
    return gone;
  }

  /** Whether some bucket starts at or before {@code start}. */
  boolean anyAtOrBefore(long start) {
    for (BucketFile b : buckets) {
      if (b.start <= start) {
        return true;
      }
    }
    return false;
  }
}
