package io.sluice.storage.file.internal.state;

/**
 * Increasing offsets in first-in, first-out order, kept as runs of consecutive offsets (16 bytes
 * per run): the messages of one key waiting behind that key's first undone message. A key whose
 * messages follow each other costs one run however many there are. Not thread-safe: its group's
 * lock guards it.
 */
final class OffsetQueue {
  private long[] starts = new long[2];
  private long[] ends = new long[2];
  private int head;
  private int tail;
  private long offsets;

  /**
   * Appends {@code offset}, above every offset held; returns whether it took a new run (else it
   * extended the last one).
   */
  boolean add(long offset) {
    if (tail > head && ends[tail - 1] == offset) {
      ends[tail - 1] = offset + 1;
      offsets++;
      return false;
    }
    if (tail == starts.length) {
      int live = tail - head;
      int capacity = live * 2 <= starts.length ? starts.length : starts.length * 2;
      long[] s = capacity == starts.length ? starts : new long[capacity];
      long[] e = capacity == ends.length ? ends : new long[capacity];
      System.arraycopy(starts, head, s, 0, live);
      System.arraycopy(ends, head, e, 0, live);
      starts = s;
      ends = e;
      head = 0;
      tail = live;
    }
    starts[tail] = offset;
    ends[tail] = offset + 1;
    tail++;
    offsets++;
    return true;
  }

  /** Whether adding {@code offset} would extend the last run rather than take a new one. */
  boolean extendsLast(long offset) {
    return tail > head && ends[tail - 1] == offset;
  }

  boolean isEmpty() {
    return head == tail;
  }

  /** Offsets held. */
  long size() {
    return offsets;
  }

  /** Runs held. */
  int runs() {
    return tail - head;
  }

  /** The lowest offset; the queue must not be empty. */
  long peek() {
    return starts[head];
  }

  /** Removes and returns the lowest offset; the queue must not be empty. */
  long poll() {
    long o = starts[head]++;
    offsets--;
    if (starts[head] == ends[head]) {
      head++;
      if (head == tail) {
        head = 0;
        tail = 0;
      }
    }
    return o;
  }

  /** Drops the offsets below {@code offset}; returns how many runs were emptied. */
  int dropBelow(long offset) {
    int emptied = 0;
    while (head < tail && starts[head] < offset) {
      long cut = Math.min(offset, ends[head]);
      offsets -= cut - starts[head];
      starts[head] = cut;
      if (cut < ends[head]) {
        break;
      }
      head++;
      emptied++;
    }
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    return emptied;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = head; i < tail; i++) {
      b.append(i == head ? "" : ", ").append(starts[i]).append('-').append(ends[i] - 1);
    }
    return b.append(']').toString();
  }
}
