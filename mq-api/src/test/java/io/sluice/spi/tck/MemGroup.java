package io.sluice.spi.tck;

import io.sluice.api.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One consumer group's state in one topic of {@link InMemoryStorage}: a cursor per partition and
 * the processed keys. Not thread-safe: the store's lock guards it.
 */
final class MemGroup {
  /** Per-message state above the committed offset. */
  static final class Entry {
    /** Attempts counted: handler runs started (or failures reported) on earlier and this lease. */
    int attempts;

    /** Whether the current lease counted its attempt already. */
    boolean started;

    Instant firstDeliveredAt;
    long token;
    Instant leaseExpiry;
    Instant nextVisible;
    boolean done;

    boolean leasedAt(Instant now) {
      return leaseExpiry != null && now.isBefore(leaseExpiry);
    }
  }

  /** A committed offset plus the entries above it. */
  static final class Cursor {
    long committed;
    final TreeMap<Long, Entry> entries = new TreeMap<>();

    Cursor(long committed) {
      this.committed = committed;
    }

    /** Advances the committed offset over every contiguous done message. */
    void advance() {
      Entry e;
      while ((e = entries.get(committed)) != null && e.done) {
        entries.remove(committed);
        committed++;
      }
    }

    /** Moves a committed offset below the log start up to it, forgetting what lies below. */
    void clampTo(long logStart) {
      if (committed < logStart) {
        committed = logStart;
      }
      entries.headMap(committed).clear();
      advance();
    }

    void reset(long offset) {
      committed = offset;
      entries.clear();
    }

    /** Messages done above the committed offset (acked out of order). */
    long doneAbove() {
      long n = 0;
      for (Entry e : entries.values()) {
        if (e.done) {
          n++;
        }
      }
      return n;
    }

    int inFlight(Instant now) {
      int n = 0;
      for (Entry e : entries.values()) {
        if (e.done || e.leasedAt(now) || (e.nextVisible != null && now.isBefore(e.nextVisible))) {
          n++;
        }
      }
      return n;
    }
  }

  private final Map<Integer, Cursor> cursors = new HashMap<>();
  private final Map<String, Instant> processed = new HashMap<>();
  private int rotation;

  /** The cursor of a partition, or null if the group never consumed it. */
  Cursor cursor(int partition) {
    return cursors.get(partition);
  }

  /** The cursor of a partition, starting it at {@code start} if the group never consumed it. */
  Cursor cursor(MemPartition partition, Position start) {
    Cursor c = cursors.get(partition.id());
    if (c == null) {
      c = new Cursor(startOffset(partition, start));
      cursors.put(partition.id(), c);
    } else {
      c.clampTo(partition.logStart());
    }
    return c;
  }

  /** Where {@code position} lies in a partition, clamped to its retained range. */
  static long startOffset(MemPartition p, Position position) {
    return switch (position) {
      case Position.Earliest e -> p.logStart();
      case Position.Latest l -> p.end();
      case Position.Offset o -> Math.max(p.logStart(), Math.min(p.end(), o.offset()));
      case Position.Timestamp t -> p.offsetForTimestamp(t.timestamp());
    };
  }

  int nextRotation() {
    return rotation++;
  }

  void processed(String key, Instant now) {
    processed.put(key, now);
  }

  boolean isProcessed(String key, Instant now, Duration window) {
    Instant at = processed.get(key);
    return at != null && now.isBefore(at.plus(window));
  }

  void expireProcessed(Instant now, Duration window) {
    Iterator<Instant> it = processed.values().iterator();
    while (it.hasNext()) {
      if (!now.isBefore(it.next().plus(window))) {
        it.remove();
      }
    }
  }
}
