package io.sluice.spi.tck;

import io.sluice.api.internal.Validation;
import io.sluice.spi.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One partition's log in {@link InMemoryStorage}. Not thread-safe: the store's lock guards it. */
final class MemPartition {
  private record Slot(StoredMessage message, long size) {}

  private final int id;
  private final ArrayList<Slot> slots = new ArrayList<>();
  private long logStart;
  private long bytes;

  MemPartition(int id) {
    this.id = id;
  }

  int id() {
    return id;
  }

  long logStart() {
    return logStart;
  }

  long end() {
    return logStart + slots.size();
  }

  long bytes() {
    return bytes;
  }

  StoredMessage get(long offset) {
    return slots.get((int) (offset - logStart)).message();
  }

  long sizeAt(long offset) {
    return slots.get((int) (offset - logStart)).size();
  }

  /** Appends a message whose size ({@link Validation#encodedSize}) the append plan computed. */
  void append(StoredMessage message, long size) {
    slots.add(new Slot(message, size));
    bytes += size;
  }

  List<StoredMessage> read(long from, int max) {
    int start = (int) (from - logStart);
    int stop = (int) Math.min(slots.size(), (long) start + max);
    List<StoredMessage> out = new ArrayList<>(Math.max(0, stop - start));
    for (int i = start; i < stop; i++) {
      out.add(slots.get(i).message());
    }
    return out;
  }

  /** The first offset whose timestamp is at or after {@code t}, or the end offset. */
  long offsetForTimestamp(Instant t) {
    for (int i = 0; i < slots.size(); i++) {
      if (!slots.get(i).message().message().timestamp().isBefore(t)) {
        return logStart + i;
      }
    }
    return end();
  }

  /** Removes every message below {@code newStart}; returns how many were removed. */
  long removeBelow(long newStart) {
    int count = (int) Math.max(0, Math.min(newStart, end()) - logStart);
    if (count == 0) {
      return 0;
    }
    List<Slot> head = slots.subList(0, count);
    for (Slot s : head) {
      bytes -= s.size();
    }
    head.clear();
    logStart += count;
    return count;
  }
}
