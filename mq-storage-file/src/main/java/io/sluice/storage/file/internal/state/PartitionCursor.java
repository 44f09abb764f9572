package io.sluice.storage.file.internal.state;

import java.time.Instant;
import java.util.TreeMap;

/**
 * One group's progress in one partition: the committed offset, the scan cursor (the next offset
 * never examined), and an {@link Entry} for every examined, not yet committed message. Claims start
 * from the entries and continue at the scan cursor, so done messages are never rescanned. Not
 * thread-safe: its group's lock guards it.
 */
final class PartitionCursor {
  long committed;
  long scanFrom;
  final TreeMap<Long, Entry> entries = new TreeMap<>();
  Instant wakeAt;
  Instant lastClaim;

  /** Entries examined while their key was held and not granted since (KEY_ORDERED). */
  int heldBack;

  PartitionCursor(long committed) {
    this.committed = committed;
    this.scanFrom = committed;
  }

  /** Advances the committed offset over every contiguous done message. */
  void advance() {
    Entry e;
    while ((e = entries.get(committed)) != null && e.state == Entry.DONE) {
      entries.remove(committed);
      committed++;
    }
    scanFrom = Math.max(scanFrom, committed);
  }

  /** Moves a committed offset below the log start up to it. */
  void clampTo(long logStart) {
    if (committed < logStart) {
      committed = logStart;
      entries.headMap(logStart).clear();
      scanFrom = Math.max(scanFrom, logStart);
      advance();
      heldBack = (int) entries.values().stream().filter(e -> e.heldBack).count();
    }
  }

  void reset(long offset) {
    committed = offset;
    scanFrom = offset;
    entries.clear();
    wakeAt = null;
    heldBack = 0;
  }

  /** Lowers the wake-up time when an entry may become visible earlier. */
  void wake(Instant at) {
    if (wakeAt != null && (at == null || at.isBefore(wakeAt))) {
      wakeAt = at;
    }
  }

  int inFlight(Instant now) {
    int n = 0;
    for (Entry e : entries.values()) {
      if (e.inFlightAt(now)) {
        n++;
      }
    }
    return n;
  }

  /** Applies a replayed entry state. */
  void restore(StateRecord.EntryState s) {
    if (s.offset() < committed) {
      return;
    }
    Entry e = entries.computeIfAbsent(s.offset(), Entry::new);
    e.state = s.done() ? Entry.DONE : Entry.RETRY;
    e.attempts = s.attempts();
    e.firstDeliveredAt = s.firstDeliveredAt();
    e.nextVisible = s.nextVisible();
    e.keyKnown = false;
    advance();
  }
}
