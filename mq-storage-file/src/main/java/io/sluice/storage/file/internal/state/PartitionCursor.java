package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * One group's progress in one partition, as runs rather than per-message entries:
 *
 * <ul>
 *   <li>the committed offset (every message below it is done) and the scan cursor (the next offset
 *       never examined);
 *   <li>{@link #done}: the messages acked above the committed offset, as ranges;
 *   <li>{@link #runs}: messages leased together from new, one {@link LeaseRun} per claim;
 *   <li>{@link #entries}: the individually special messages (delayed, retrying, redelivered after
 *       an expired lease, split off a run by a partial extension, the next message of a held key);
 *   <li>{@link #held}: {@code KEY_ORDERED} messages waiting behind their key, as offsets.
 * </ul>
 *
 * Every offset in {@code [committed, scanFrom)} is in exactly one of these, or waits untracked
 * behind an overflowed key ({@link HeldKeys}); so the committed offset advances over done ranges
 * only, and memory is O(runs + special messages), not O(messages since the oldest undone one): a
 * message delayed for a day costs one entry, and the ten million acked after it one range. Not
 * thread-safe: its group's lock guards it.
 */
final class PartitionCursor {
  /** {@link #wakeAt}: the entries and runs must be looked at. */
  static final long LOOK = Long.MIN_VALUE;

  long committed;
  long scanFrom;
  final OffsetRanges done = new OffsetRanges();
  final TreeMap<Long, LeaseRun> runs = new TreeMap<>();
  final TreeMap<Long, Entry> entries = new TreeMap<>();
  final HeldKeys held;

  /**
   * Unordered claims skip the entries and runs until then: the earliest time one of them can become
   * visible ({@code Long.MAX_VALUE}: none can), or {@link #LOOK}.
   */
  long wakeAt = LOOK;

  /** The time of the last claim (a clock that went back makes the skip look again). */
  long lastClaim = Long.MIN_VALUE;

  PartitionCursor(long committed, int heldLimit) {
    this.committed = committed;
    this.scanFrom = committed;
    this.held = new HeldKeys(heldLimit);
  }

  /** Advances the committed offset over the done range that starts at it. */
  void advance() {
    long end;
    while ((end = done.pollStartingAt(committed)) >= 0) {
      committed = end;
    }
    scanFrom = Math.max(scanFrom, committed);
  }

  /** Marks {@code offset} done (its lease or entry already removed) and moves its key on. */
  void complete(long offset, String key) {
    if (offset == committed && (done.isEmpty() || done.start(0) > offset + 1)) {
      committed++; // the usual case, acks in order: no range to add and take again
      scanFrom = Math.max(scanFrom, committed);
    } else {
      done.add(offset);
      if (offset == committed) {
        advance();
      }
    }
    if (key != null && !held.isEmpty()) {
      promote(key);
    }
  }

  /** Makes the next waiting message of {@code key} an entry, to be examined by the next claim. */
  void promote(String key) {
    Entry e = held.next(key);
    if (e != null) {
      entries.putIfAbsent(e.offset, e);
    }
    wakeAt = LOOK;
  }

  /** Removes a member from its run, dropping the run once empty. */
  void removeMember(LeaseRun run, long offset) {
    if (run.remove(offset)) {
      runs.remove(run.first);
    }
  }

  /** The entry currently leased at {@code offset} with {@code token}, or null. */
  Entry leasedEntry(long offset, long token, long now) {
    if (offset < committed || entries.isEmpty()) {
      return null;
    }
    Entry e = entries.get(offset);
    return e != null && e.token == token && e.leasedAt(now) ? e : null;
  }

  /** The run whose current lease covers the member {@code offset} with {@code token}, or null. */
  LeaseRun leasedRun(long offset, long token, long now) {
    if (offset < committed) {
      return null;
    }
    var f = runs.floorEntry(offset);
    return f != null && f.getValue().holds(offset, token, now) ? f.getValue() : null;
  }

  /** Moves a committed offset below the log start up to it (retention removed what was below). */
  void clampTo(long logStart) {
    if (committed >= logStart) {
      return;
    }
    committed = logStart;
    entries.headMap(logStart).clear();
    for (Iterator<LeaseRun> it = runs.values().iterator(); it.hasNext(); ) {
      LeaseRun r = it.next();
      r.dropBelow(logStart);
      if (r.liveCount() == 0) {
        it.remove();
      }
    }
    done.removeBelow(logStart);
    scanFrom = Math.max(scanFrom, logStart);
    if (!held.isEmpty()) {
      for (String key : held.dropBelow(logStart)) {
        promote(key);
      }
    }
    advance();
  }

  /**
   * Forgets everything at or beyond {@code end}, a log end that moved back (a log that lost its
   * tail in a power loss while this state did not). Returns whether anything changed. Called at
   * open, before any claim, when nothing is leased and no key has messages waiting behind it.
   */
  boolean truncateTo(long end) {
    boolean changed =
        committed > end
            || scanFrom > end
            || (!entries.isEmpty() && entries.lastKey() >= end)
            || (!done.isEmpty() && done.end(done.size() - 1) > end);
    if (changed) {
      committed = Math.min(committed, end);
      scanFrom = Math.min(scanFrom, end);
      entries.tailMap(end).clear();
      done.removeFrom(end);
      wakeAt = LOOK;
    }
    return changed;
  }

  void reset(long offset) {
    committed = offset;
    scanFrom = offset;
    done.clear();
    runs.clear();
    entries.clear();
    held.clear();
    wakeAt = LOOK;
  }

  /** Lowers the wake-up time when something may become visible earlier. */
  void wake(long at) {
    if (at < wakeAt) {
      wakeAt = at;
    }
  }

  /** Messages in flight: leased, waiting for a retry time, or done out of order. */
  long inFlight(long now) {
    long n = done.countFrom(committed);
    for (LeaseRun r : runs.values()) {
      n += r.leasedAt(now) ? r.liveCount() : 0;
    }
    for (Entry e : entries.values()) {
      n += e.inFlightAt(now) ? 1 : 0;
    }
    return n;
  }

  // ------------------------------------------------------------------------------------- replay

  /** Applies a replayed entry state: not done, with its attempts and retry time. */
  void restore(EntryState s) {
    if (s.offset() < committed || done.contains(s.offset())) {
      return;
    }
    Entry e = entries.computeIfAbsent(s.offset(), Entry::new);
    e.state = Entry.RETRY;
    e.attempts = s.attempts();
    e.firstDeliveredAt = s.firstDeliveredAt();
    e.nextVisible = s.nextVisible();
    e.keyKnown = false;
  }

  /** Applies replayed done ranges. */
  void restoreDone(long[] ranges) {
    for (int i = 0; i < ranges.length; i += 2) {
      long from = Math.max(ranges[i], committed);
      long to = ranges[i + 1];
      if (from < to) {
        done.add(from, to);
        entries.subMap(from, to).clear();
      }
    }
    advance();
  }
}
