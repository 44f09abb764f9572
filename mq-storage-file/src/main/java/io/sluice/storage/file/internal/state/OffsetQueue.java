package io.sluice.storage.file.internal.state;

import java.util.Arrays;

/**
 * Increasing offsets in first-in, first-out order, 8 bytes each: the messages of one key waiting
 * behind that key's first undone message ({@link PartitionCursor#waiting}). Not thread-safe: its
 * group's lock guards it.
 */
final class OffsetQueue {
  private long[] offsets = new long[4];
  private int head;
  private int tail;

  void add(long offset) {
    if (tail == offsets.length) {
      int live = tail - head;
      long[] grown = live * 2 <= offsets.length ? offsets : new long[offsets.length * 2];
      System.arraycopy(offsets, head, grown, 0, live);
      offsets = grown;
      head = 0;
      tail = live;
    }
    offsets[tail++] = offset;
  }

  boolean isEmpty() {
    return head == tail;
  }

  int size() {
    return tail - head;
  }

  /** Removes and returns the lowest offset; the queue must not be empty. */
  long poll() {
    long o = offsets[head++];
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    return o;
  }

  /** Drops the offsets below {@code offset}; returns how many. */
  int dropBelow(long offset) {
    int from = head;
    while (head < tail && offsets[head] < offset) {
      head++;
    }
    int dropped = head - from;
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    return dropped;
  }

  @Override
  public String toString() {
    return Arrays.toString(Arrays.copyOfRange(offsets, head, tail));
  }
}
