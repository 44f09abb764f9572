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
   * KEY_ORDERED: stop examining new messages while this many wait behind their keys in one
   * partition (8 bytes each in {@link PartitionCursor#waiting}), so a key held for a long time
   * cannot grow a group's memory without bound; other keys flow until then.
   */
  static final int MAX_WAITING = 100_000;

  /** Messages to read are read together when at most this many offsets apart. */
  private static final int RUN_GAP = 64;

  /** The longest run read at once, in offsets. */
  private static final int RUN_MAX = 2_000;

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

  /**
   * Claims from one partition into {@code out}. A claim counts no attempt, so the only record it
   * journals (into {@code journal}) is the cursor of a partition the group starts consuming.
   */
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
    int before = out.size();
    if (c.lastClaim != null && now.isBefore(c.lastClaim)) {
      c.wakeAt = null;
    }
    c.lastClaim = now;
    if (keyOrdered || c.wakeAt == null || !now.isBefore(c.wakeAt)) {
      claimEntries(log, c, request, now, limit, held, tokens, out);
    }
    if (out.size() - before < limit) {
      claimNew(log, c, request, now, limit - (out.size() - before), held, tokens, out);
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
      List<Lease> out) {
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
        e.deliverAt = m.message().deliverAt();
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
      known.add(m);
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
      out.add(grant(e, known.get(i), request.lease(), now, tokens));
      wake = wake == null || e.leaseExpiry.isBefore(wake) ? e.leaseExpiry : wake;
    }
    c.wakeAt = complete && held == null ? (wake == null ? Instant.MAX : wake) : null;
  }

  /**
   * Fills the messages not yet known with one read per run of nearby offsets (a redelivery after a
   * restart or a mass lease expiry, or the next messages of interleaved keys, read ranges, not one
   * batch per message).
   */
  private static void readRuns(SegmentSet log, List<Entry> chosen, List<StoredMessage> known) {
    int i = 0;
    while (i < chosen.size()) {
      if (known.get(i) != null) {
        i++;
        continue;
      }
      long first = chosen.get(i).offset;
      int j = i + 1;
      while (j < chosen.size()
          && known.get(j) == null
          && chosen.get(j).offset - chosen.get(j - 1).offset <= RUN_GAP
          && chosen.get(j).offset - first < RUN_MAX) {
        j++;
      }
      List<StoredMessage> run = log.read(first, (int) (chosen.get(j - 1).offset - first + 1));
      for (int k = i; k < j; k++) {
        known.set(k, run.get((int) (chosen.get(k).offset - first)));
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
      List<Lease> out) {
    int taken = 0;
    int budget = SCAN_BUDGET;
    while (taken < limit
        && budget > 0
        && c.waitingCount < MAX_WAITING
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
        if (taken >= limit || budget <= 0 || c.waitingCount >= MAX_WAITING) {
          return;
        }
        c.scanFrom = o + 1;
        if (c.entries.containsKey(o)) {
          continue;
        }
        String key = m.message().key();
        if (held != null && key != null && !held.add(key)) {
          c.hold(key, o, m.message().deliverAt());
          budget--;
          continue;
        }
        Entry e = new Entry(o);
        e.key = key;
        e.keyKnown = true;
        e.deliverAt = m.message().deliverAt();
        c.entries.put(o, e);
        if (!e.visibleAt(now)) {
          budget--;
          c.wake(e.deliverAt);
          continue;
        }
        out.add(grant(e, m, request.lease(), now, tokens));
        c.wake(e.leaseExpiry);
        taken++;
      }
    }
  }

  /** Leases a message; its attempt number is the attempts counted so far plus one. */
  private static Lease grant(
      Entry e, StoredMessage m, Duration lease, Instant now, AtomicLong tokens) {
    e.state = Entry.LEASED;
    e.started = false;
    e.firstDeliveredAt = e.firstDeliveredAt == null ? now : e.firstDeliveredAt;
    e.token = tokens.incrementAndGet();
    e.grantedAt = now;
    e.leaseExpiry = plus(now, lease);
    e.nextVisible = null;
    DeliveryId id = new DeliveryId(m.topic(), m.partition(), m.offset(), e.token);
    return new Lease(id, m, e.attempts + 1, e.leaseExpiry, e.firstDeliveredAt);
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
    c.promote(e.key);
    c.advance();
    return s;
  }

  /**
   * Counts the attempt of a current grant whose handler starts, once per grant; returns whether it
   * counted (the caller journals the entry's state).
   */
  static boolean start(Entry e) {
    if (e.started) {
      return false;
    }
    e.started = true;
    e.attempts++;
    return true;
  }

  /**
   * Ends a current grant; visible again at {@code nextVisible}. A failed attempt ({@code
   * countAttempt}) counts unless the grant was started; a delivery handed back unprocessed takes
   * back the attempt its start counted.
   */
  StateRecord release(DeliveryId id, Entry e, Instant nextVisible, boolean countAttempt) {
    if (countAttempt && !e.started) {
      e.attempts++;
    } else if (!countAttempt && e.started) {
      e.attempts = Math.max(0, e.attempts - 1);
    }
    e.started = false;
    e.state = Entry.RETRY;
    e.leaseExpiry = null;
    e.nextVisible = nextVisible;
    cursors.get(id.partition()).wake(nextVisible);
    return new StateRecord.Entries(group, topic, id.partition(), List.of(e.persisted()));
  }

  /** One partition's state as records: its cursor (which clears it on replay), then its entries. */
  void snapshotPartition(int partition, PartitionCursor pc, List<StateRecord> out) {
    out.add(new StateRecord.Cursor(group, topic, partition, pc.committed));
    List<EntryState> states = new ArrayList<>();
    for (Entry e : pc.entries.values()) {
      if (e.state != Entry.PENDING) {
        states.add(e.persisted());
      }
    }
    if (!states.isEmpty()) {
      out.add(new StateRecord.Entries(group, topic, partition, states));
    }
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
      snapshotPartition(c.getKey(), c.getValue(), out);
    }
    for (Map.Entry<String, Instant> p : processed.entrySet()) {
      out.add(new StateRecord.Processed(group, topic, p.getKey(), p.getValue()));
    }
  }
}
