package io.sluice.storage.file.internal.state;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One group's progress in one partition: the committed offset, the scan cursor (the next offset
 * never examined), an {@link Entry} for every examined, not yet committed message, except the
 * messages of a key held by an earlier undone message of that key ({@code KEY_ORDERED}): those wait
 * as bare offsets in their key's queue until that message is done, so a held key costs 8 bytes per
 * waiting message and no claim walks them. Claims start from the entries and continue at the scan
 * cursor, so done messages are never rescanned. Not thread-safe: its group's lock guards it.
 */
final class PartitionCursor {
  long committed;
  long scanFrom;
  final TreeMap<Long, Entry> entries = new TreeMap<>();
  Instant wakeAt;
  Instant lastClaim;

  /** Per key, the offsets examined while the key was held, not yet entries (KEY_ORDERED). */
  final Map<String, OffsetQueue> waiting = new HashMap<>();

  /** Offsets in {@link #waiting}. */
  int waitingCount;

  /** The {@code deliverAt} of waiting messages that have one (few do). */
  final TreeMap<Long, Instant> waitingDeliverAt = new TreeMap<>();

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
      for (OffsetQueue q : waiting.values()) {
        waitingCount -= q.dropBelow(logStart);
      }
      waiting.values().removeIf(OffsetQueue::isEmpty);
      waitingDeliverAt.headMap(logStart).clear();
      // a key's first undone message may be gone: let every key's next one take its place (the
      // claim's walk in offset order still holds back all but a key's lowest undone message)
      for (String key : java.util.List.copyOf(waiting.keySet())) {
        promote(key);
      }
      advance();
    }
  }

  /**
   * Forgets everything at or beyond {@code end}, a log end that moved back (a log that lost its
   * tail in a power loss while this state did not): the committed offset and the scan cursor come
   * down to it and the per-message state beyond it goes. Returns whether anything changed. Called
   * at open, before any claim, when no key has messages waiting behind it.
   */
  boolean truncateTo(long end) {
    boolean changed =
        committed > end || scanFrom > end || (!entries.isEmpty() && entries.lastKey() >= end);
    if (changed) {
      committed = Math.min(committed, end);
      scanFrom = Math.min(scanFrom, end);
      entries.tailMap(end).clear();
      wakeAt = null;
    }
    return changed;
  }

  /** Holds {@code offset} back behind an earlier undone message of its key. */
  void hold(String key, long offset, Instant deliverAt) {
    waiting.computeIfAbsent(key, k -> new OffsetQueue()).add(offset);
    waitingCount++;
    if (deliverAt != null) {
      waitingDeliverAt.put(offset, deliverAt);
    }
  }

  /**
   * Makes the next waiting message of {@code key} (if any) an entry, to be examined by the next
   * claim: called when a message of the key is done or removed.
   */
  void promote(String key) {
    OffsetQueue q = key == null ? null : waiting.get(key);
    if (q == null || q.isEmpty()) {
      return;
    }
    long offset = q.poll();
    waitingCount--;
    if (q.isEmpty()) {
      waiting.remove(key);
    }
    Entry e = entries.computeIfAbsent(offset, Entry::new);
    e.key = key;
    e.deliverAt = waitingDeliverAt.remove(offset);
    e.keyKnown = true;
    wake(null);
  }

  void reset(long offset) {
    committed = offset;
    scanFrom = offset;
    entries.clear();
    wakeAt = null;
    waiting.clear();
    waitingCount = 0;
    waitingDeliverAt.clear();
  }

  /** Lowers the wake-up time when an entry may become visible earlier. */
  void wake(Instant at) {
    if (wakeAt != null && (at == null || at.isBefore(wakeAt))) {
      wakeAt = at;
    }
  }

  /** Messages at or above {@code from} done out of order (acked above the committed offset). */
  long doneFrom(long from) {
    long n = 0;
    for (Entry e : entries.tailMap(from).values()) {
      if (e.state == Entry.DONE) {
        n++;
      }
    }
    return n;
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
