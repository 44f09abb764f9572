package io.sluice.storage.file.internal.log;

import java.util.Arrays;

/**
 * A segment's sparse offset index in memory: entries of (offset relative to the segment's base, 4
 * bytes; byte position of the batch holding it, 4 bytes), strictly increasing in both, one per
 * {@code indexIntervalBytes} of log. On disk ({@code .index}) the same 8-byte big-endian pairs.
 * Lookup is a binary search. Not thread-safe for writers; readers see a consistent prefix because
 * entries are published through the volatile count after being written.
 */
final class OffsetIndex {
  private volatile long[] entries;
  private volatile int count;

  OffsetIndex(long[] entries, int count) {
    this.entries = entries;
    this.count = count;
  }

  static OffsetIndex empty() {
    return new OffsetIndex(new long[64], 0);
  }

  /** Adds an entry; the caller keeps offsets and positions increasing. */
  void add(int relativeOffset, int position) {
    long[] e = entries;
    if (count == e.length) {
      e = Arrays.copyOf(e, e.length * 2);
      entries = e;
    }
    e[count] = (long) relativeOffset << 32 | (position & 0xffffffffL);
    count = count + 1;
  }

  int count() {
    return count;
  }

  int relativeOffset(int i) {
    return (int) (entries[i] >>> 32);
  }

  int position(int i) {
    return (int) entries[i];
  }

  /** The index of the last entry whose offset is at most {@code relativeOffset}, or -1. */
  int floor(int relativeOffset) {
    int n = count;
    long[] e = entries;
    int lo = 0;
    int hi = n - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if ((int) (e[mid] >>> 32) <= relativeOffset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Drops the entries from {@code from} on. */
  void truncate(int from) {
    count = Math.min(count, from);
  }

  /** Whether the entries are strictly increasing and inside a log of {@code logBytes}. */
  boolean plausible(long logBytes) {
    long prevOffset = -1;
    long prevPosition = -1;
    for (int i = 0; i < count; i++) {
      long off = relativeOffset(i) & 0xffffffffL;
      long pos = position(i) & 0xffffffffL;
      if (off <= prevOffset || pos <= prevPosition || pos >= logBytes || off > Integer.MAX_VALUE) {
        return false;
      }
      prevOffset = off;
      prevPosition = pos;
    }
    return true;
  }
}
