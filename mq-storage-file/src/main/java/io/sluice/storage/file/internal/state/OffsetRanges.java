package io.sluice.storage.file.internal.state;

import java.util.Arrays;

/**
 * A set of offsets kept as sorted, disjoint, non-adjacent half-open ranges {@code [start, end)}: 16
 * bytes per range, whatever the number of offsets in it. Adding at or after the last range (the
 * usual case: acks in offset order) is constant time; adding in the middle moves the ranges after
 * it. Not thread-safe: its group's lock guards it.
 */
final class OffsetRanges {
  private long[] starts = new long[4];
  private long[] ends = new long[4];
  private int size;

  /** Ranges held. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long start(int i) {
    return starts[i];
  }

  long end(int i) {
    return ends[i];
  }

  void add(long offset) {
    add(offset, offset + 1);
  }

  /** Adds {@code [start, end)}, merging with the ranges it overlaps or touches. */
  void add(long start, long end) {
    if (start >= end) {
      return;
    }
    if (size > 0 && start >= starts[size - 1]) {
      if (start <= ends[size - 1]) {
        ends[size - 1] = Math.max(ends[size - 1], end);
        return;
      }
      insert(size, start, end);
      return;
    }
    int i = floor(start); // last range starting at or before start, or -1
    int first = i >= 0 && ends[i] >= start ? i : i + 1; // first range merged
    int last = first;
    long s = start;
    long e = end;
    while (last < size && starts[last] <= end) {
      s = Math.min(s, starts[last]);
      e = Math.max(e, ends[last]);
      last++;
    }
    if (last == first) {
      insert(first, start, end);
      return;
    }
    starts[first] = s;
    ends[first] = e;
    remove(first + 1, last);
  }

  /** Whether {@code offset} is in a range. */
  boolean contains(long offset) {
    int i = floor(offset);
    return i >= 0 && offset < ends[i];
  }

  /** The end of the range holding {@code offset}, or -1 if none does. */
  long endOf(long offset) {
    int i = floor(offset);
    return i >= 0 && offset < ends[i] ? ends[i] : -1;
  }

  /** The first offset at or after {@code offset} that is in a range, or {@code Long.MAX_VALUE}. */
  long nextAtOrAfter(long offset) {
    int i = floor(offset);
    if (i >= 0 && offset < ends[i]) {
      return offset;
    }
    return i + 1 < size ? starts[i + 1] : Long.MAX_VALUE;
  }

  /** Removes the first range if it starts at {@code offset}; returns its end, or -1. */
  long pollStartingAt(long offset) {
    if (size == 0 || starts[0] != offset) {
      return -1;
    }
    long end = ends[0];
    remove(0, 1);
    return end;
  }

  /** Drops every offset below {@code offset}. */
  void removeBelow(long offset) {
    int i = 0;
    while (i < size && ends[i] <= offset) {
      i++;
    }
    remove(0, i);
    if (size > 0 && starts[0] < offset) {
      starts[0] = offset;
    }
  }

  /** Drops every offset at or above {@code offset}. */
  void removeFrom(long offset) {
    int n = size;
    while (n > 0 && starts[n - 1] >= offset) {
      n--;
    }
    size = n;
    if (size > 0 && ends[size - 1] > offset) {
      ends[size - 1] = offset;
    }
  }

  /** Offsets held at or above {@code from}. */
  long countFrom(long from) {
    long n = 0;
    for (int i = size - 1; i >= 0 && ends[i] > from; i--) {
      n += ends[i] - Math.max(starts[i], from);
    }
    return n;
  }

  void clear() {
    size = 0;
  }

  /** Index of the last range starting at or before {@code offset}, or -1. */
  private int floor(long offset) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] <= offset) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi;
  }

  private void insert(int at, long start, long end) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    System.arraycopy(starts, at, starts, at + 1, size - at);
    System.arraycopy(ends, at, ends, at + 1, size - at);
    starts[at] = start;
    ends[at] = end;
    size++;
  }

  private void remove(int from, int to) {
    if (to <= from) {
      return;
    }
    System.arraycopy(starts, to, starts, from, size - to);
    System.arraycopy(ends, to, ends, from, size - to);
    size -= to - from;
    if (size < starts.length / 4 && starts.length > 16) {
      starts = Arrays.copyOf(starts, Math.max(16, size * 2));
      ends = Arrays.copyOf(ends, starts.length);
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      b.append(i == 0 ? "" : ", ").append(starts[i]).append('-').append(ends[i]);
    }
    return b.append(']').toString();
  }
}
