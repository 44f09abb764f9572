package io.sluice.storage.file.internal.state;

import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.internal.Validation;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.log.SegmentSet;
import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer group's state in one topic: a {@link PartitionCursor} per partition it consumed and
 * its processed keys. Every method runs under {@link #lock}; claims of different groups run in
 * parallel.
 */
final class GroupTopic {
  /** Most never-claimable messages (delayed, or held back by key) one claim examines. */
  private static final int SCAN_BUDGET = 10_000;

  /**
   * KEY_ORDERED: stop examining new messages while this many are already held back by their keys.
   * Every KEY_ORDERED claim walks the held-back entries, so without a bound a backlog of a few hot
   * keys made each claim walk thousands of them (4 k msg/s measured); later keys wait their turn.
   * Held-back messages are kept decoded (at most this many per group and partition).
   */
  static final int MAX_HELD_BACK = 256;

  final String group;
  final String topic;
  final ReentrantLock lock = new ReentrantLock();
  final Map<Integer, PartitionCursor> cursors = new HashMap<>();
  final Map<String, Instant> processed = new HashMap<>();
  private int rotation;

  GroupTopic(String group, String topic) {
    this.group = group;
    this.topic = topic;
  }

  /** The cursor of a partition, created at {@code start} (and journaled) if new. */
  PartitionCursor cursor(SegmentSet log, Position start, List<StateRecord> journal) {
    PartitionCursor c = cursors.get(log.partition());
    if (c == null) {
      long at = startOffset(log, start);
      c = new PartitionCursor(at);
      cursors.put(log.partition(), c);
      journal.add(new StateRecord.Cursor(group, topic, log.partition(), at));
    } else {
      c.clampTo(log.logStart());
    }
    return c;
  }

  static long startOffset(SegmentSet log, Position position) {
    return switch (position) {
      case Position.Earliest e -> log.logStart();
      case Position.Latest l -> log.endOffset();
      case Position.Offset o -> Math.max(log.logStart(), Math.min(log.endOffset(), o.offset()));
      case Position.Timestamp t -> log.offsetForTimestamp(t.timestamp());
    };
  }

  int nextRotation() {
    return rotation++;
  }

  /** Claims from one partition into {@code out}; journal records go to {@code journal}. */
  void claimFrom(
      SegmentSet log,
      ClaimRequest request,
      Instant now,
      int limit,
      AtomicLong tokens,
      List<Lease> out,
      List<StateRecord> journal) {
    PartitionCursor c = cursor(log, request.startPosition(), journal);
    boolean keyOrdered = request.ordering() == Ordering.KEY_ORDERED;
    Set<String> held = keyOrdered ? new HashSet<>() : null;
    List<EntryState> granted = new ArrayList<>();
    int before = out.size();
    if (c.lastClaim != null && now.isBefore(c.lastClaim)) {
      c.wakeAt = null;
    }
    c.lastClaim = now;
    if (keyOrdered || c.wakeAt == null || !now.isBefore(c.wakeAt)) {
      claimEntries(log, c, request, now, limit, held, tokens, out, granted);
    }
    if (out.size() - before < limit) {
      claimNew(log, c, request, now, limit - (out.size() - before), held, tokens, out, granted);
    }
    if (!granted.isEmpty()) {
      journal.add(new StateRecord.Entries(group, topic, log.partition(), granted));
    }
  }

  private void claimEntries(
      SegmentSet log,
      PartitionCursor c,
      ClaimRequest request,
      Instant now,
      int limit,
      Set<String> held,
      AtomicLong tokens,
      List<Lease> out,
      List<EntryState> granted) {
    Instant wake = null;
    boolean complete = true;
    int taken = 0;
    List<Entry> chosen = new ArrayList<>();
    List<StoredMessage> known = new ArrayList<>();
    for (Entry e : c.entries.values()) {
      if (taken >= limit) {
        complete = false;
        break;
      }
      if (e.state == Entry.DONE) {
        continue;
      }
      StoredMessage m = null;
      if (held != null && !e.keyKnown) {
        m = log.read(e.offset, 1).get(0);
        e.key = m.message().key();
        e.keyKnown = true;
      }
      if (held != null && e.key != null && !held.add(e.key)) {
        continue;
      }
      if (!e.visibleAt(now)) {
        Instant w = e.wakeAt();
        wake = w != null && (wake == null || w.isBefore(wake)) ? w : wake;
        continue;
      }
      chosen.add(e);
      known.add(m != null ? m : e.message);
      taken++;
    }
    try {
      readRuns(log, chosen, known);
    } catch (io.sluice.api.error.OffsetOutOfRangeException retentionRace) {
      c.clampTo(log.logStart()); // retention removed them meanwhile: nothing to hand out here
      return;
    }
    for (int i = 0; i < chosen.size(); i++) {
      Entry e = chosen.get(i);
      if (e.heldBack) {
        e.heldBack = false;
        e.message = null;
        c.heldBack--;
      }
      out.add(grant(e, known.get(i), request.lease(), now, tokens, granted));
      wake = wake == null || e.leaseExpiry.isBefore(wake) ? e.leaseExpiry : wake;
    }
    c.wakeAt = complete && held == null ? (wake == null ? Instant.MAX : wake) : null;
  }

  /**
   * Fills the messages not yet known with one read per run of consecutive offsets (a redelivery
   * after a restart or a mass lease expiry reads ranges, not one batch per message).
   */
  private static void readRuns(SegmentSet log, List<Entry> chosen, List<StoredMessage> known) {
    int i = 0;
    while (i < chosen.size()) {
      if (known.get(i) != null) {
        i++;
        continue;
      }
      int j = i + 1;
      while (j < chosen.size()
          && known.get(j) == null
          && chosen.get(j).offset == chosen.get(j - 1).offset + 1) {
        j++;
      }
      List<StoredMessage> run = log.read(chosen.get(i).offset, j - i);
      for (int k = i; k < j; k++) {
        known.set(k, run.get(k - i));
      }
      i = j;
    }
  }

  private void claimNew(
      SegmentSet log,
      PartitionCursor c,
      ClaimRequest request,
      Instant now,
      int limit,
      Set<String> held,
      AtomicLong tokens,
      List<Lease> out,
      List<EntryState> granted) {
    int taken = 0;
    int budget = SCAN_BUDGET;
    while (taken < limit
        && budget > 0
        && c.heldBack < MAX_HELD_BACK
        && c.scanFrom < log.endOffset()) {
      List<StoredMessage> batch;
      try {
        batch = log.read(c.scanFrom, Math.min(1000, limit - taken + 100));
      } catch (io.sluice.api.error.OffsetOutOfRangeException retentionRace) {
        c.clampTo(log.logStart());
        return;
      }
      for (StoredMessage m : batch) {
        long o = m.offset();
        if (taken >= limit || budget <= 0 || c.heldBack >= MAX_HELD_BACK) {
          return;
        }
        c.scanFrom = o + 1;
        if (c.entries.containsKey(o)) {
          continue;
        }
        Entry e = new Entry(o);
        e.key = m.message().key();
        e.keyKnown = true;
        e.deliverAt = m.message().deliverAt();
        c.entries.put(o, e);
        boolean blocked = held != null && e.key != null && !held.add(e.key);
        if (blocked) {
          e.heldBack = true;
          e.message = m;
          c.heldBack++;
        }
        if (blocked || !e.visibleAt(now)) {
          budget--;
          c.wake(e.deliverAt);
          continue;
        }
        out.add(grant(e, m, request.lease(), now, tokens, granted));
        c.wake(e.leaseExpiry);
        taken++;
      }
    }
  }

  private static Lease grant(
      Entry e,
      StoredMessage m,
      Duration lease,
      Instant now,
      AtomicLong tokens,
      List<EntryState> granted) {
    e.state = Entry.LEASED;
    e.attempts++;
    e.firstDeliveredAt = e.firstDeliveredAt == null ? now : e.firstDeliveredAt;
    e.token = tokens.incrementAndGet();
    e.grantedAt = now;
    e.leaseExpiry = plus(now, lease);
    e.nextVisible = null;
    granted.add(e.persisted());
    DeliveryId id = new DeliveryId(m.topic(), m.partition(), m.offset(), e.token);
    return new Lease(id, m, e.attempts, e.leaseExpiry, e.firstDeliveredAt);
  }

  static Instant plus(Instant t, Duration d) {
    try {
      Instant r = t.plus(d);
      return r.isAfter(Validation.MAX_INSTANT) ? Validation.MAX_INSTANT : r;
    } catch (ArithmeticException | java.time.DateTimeException overflow) {
      return Validation.MAX_INSTANT;
    }
  }

  /** The entry of the current, unexpired grant named by {@code id}, or null. */
  Entry current(DeliveryId id, Instant now) {
    PartitionCursor c = cursors.get(id.partition());
    Entry e = c == null || id.offset() < c.committed ? null : c.entries.get(id.offset());
    return e != null && e.token == id.token() && e.leasedAt(now) ? e : null;
  }

  /**
   * Marks a current grant done and returns its state for the journal (the caller gathers the states
   * of one partition into one {@link StateRecord.Entries} record).
   */
  EntryState complete(DeliveryId id, Entry e) {
    e.state = Entry.DONE;
    e.leaseExpiry = null;
    PartitionCursor c = cursors.get(id.partition());
    EntryState s = e.persisted();
    c.advance();
    return s;
  }

  /** Ends a current grant; visible again at {@code nextVisible}. */
  StateRecord release(DeliveryId id, Entry e, Instant nextVisible, boolean countAttempt) {
    e.state = Entry.RETRY;
    e.leaseExpiry = null;
    e.nextVisible = nextVisible;
    if (!countAttempt) {
      e.attempts = Math.max(0, e.attempts - 1);
    }
    cursors.get(id.partition()).wake(nextVisible);
    return new StateRecord.Entries(group, topic, id.partition(), List.of(e.persisted()));
  }

  /** Applies one replayed record. */
  void replay(StateRecord r) {
    switch (r) {
      case StateRecord.Cursor c -> {
        PartitionCursor pc = cursors.computeIfAbsent(c.partition(), p -> new PartitionCursor(0));
        pc.reset(c.committed());
      }
      case StateRecord.Entries e -> {
        PartitionCursor pc = cursors.computeIfAbsent(e.partition(), p -> new PartitionCursor(0));
        for (EntryState s : e.entries()) {
          pc.restore(s);
        }
      }
      case StateRecord.Processed p -> processed.put(p.key(), p.at());
      default -> {}
    }
  }

  /** The state as records, for a snapshot. */
  void snapshot(List<StateRecord> out) {
    for (Map.Entry<Integer, PartitionCursor> c : cursors.entrySet()) {
      PartitionCursor pc = c.getValue();
      out.add(new StateRecord.Cursor(group, topic, c.getKey(), pc.committed));
      List<EntryState> states = new ArrayList<>();
      for (Entry e : pc.entries.values()) {
        if (e.state != Entry.PENDING) {
          states.add(e.persisted());
        }
      }
      if (!states.isEmpty()) {
        out.add(new StateRecord.Entries(group, topic, c.getKey(), states));
      }
    }
    for (Map.Entry<String, Instant> p : processed.entrySet()) {
      out.add(new StateRecord.Processed(group, topic, p.getKey(), p.getValue()));
    }
  }
}
