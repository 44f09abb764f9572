package io.sluice.storage.file.internal.state;

import io.sluice.api.Ordering;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One claim call of one group, partition by partition, under the group's lock (new messages
 * possibly read before it was taken: {@link ReadAhead}). First the known state: lease runs whose
 * lease expired become entries, and visible entries are granted one by one. Then new messages from
 * the scan cursor: done ranges are skipped without reading, messages that cannot be handed out yet
 * (delayed, or held behind their key) become entries or waiting offsets, and the rest are granted
 * together as a {@link LeaseRun}. A claim counts no attempt and journals nothing but the cursor of
 * a partition the group starts consuming. All times are microseconds; the two instants every lease
 * of the call shares are made once.
 */
final class Claim {
  /**
   * Most messages one claim examines per partition without handing them out (delayed, held back by
   * key, or read again for a key that overflowed), so one claim's work stays bounded.
   */
  static final int SCAN_BUDGET = 262_144;

  /** A run of a claim is split where two granted messages are further apart than this. */
  private static final int RUN_GAP = 64;

  /** Entries to read are read together when at most this many offsets apart. */
  private static final int READ_GAP = 64;

  /**
   * Messages read beyond the claim's limit once some were passed over (delayed, held back by key),
   * so a few more of those do not cost a read each.
   */
  private static final int SLACK = 100;

  /** The longest stretch of log read at once, in offsets. */
  private static final int READ_MAX = 2_000;

  private final GroupTopic g;
  private final ClaimRequest request;
  private final long now;
  private final long expiry;
  private final Instant expiresAt;
  private final Instant nowInstant;
  private final AtomicLong tokens;
  private final List<Lease> out;
  private final List<StateRecord> journal;
  private final boolean keyOrdered;
  private final ReadAhead ahead;
  private Set<String> held;
  private int budget;

  Claim(
      GroupTopic g,
      ClaimRequest request,
      Instant nowInstant,
      AtomicLong tokens,
      List<Lease> out,
      List<StateRecord> journal,
      ReadAhead ahead) {
    this.g = g;
    this.ahead = ahead;
    this.request = request;
    this.nowInstant = nowInstant;
    this.now = Micros.of(nowInstant);
    this.expiry = Micros.plus(now, request.lease());
    this.expiresAt = Micros.instant(expiry);
    this.tokens = tokens;
    this.out = out;
    this.journal = journal;
    this.keyOrdered = request.ordering() == Ordering.KEY_ORDERED;
  }

  /** Claims up to {@code limit} messages of one partition into the output, in offset order. */
  void from(SegmentSet log, int limit) {
    PartitionCursor c = g.cursor(log, request.startPosition(), journal);
    int before = out.size();
    held = keyOrdered ? new HashSet<>() : null;
    budget = SCAN_BUDGET;
    if (now < c.lastClaim) {
      c.wakeAt = PartitionCursor.LOOK; // the clock went back
    }
    c.lastClaim = now;
    try {
      if (keyOrdered && !c.held.refills().isEmpty()) {
        refill(log, c);
      }
      if (keyOrdered || c.wakeAt == PartitionCursor.LOOK || now >= c.wakeAt) {
        claimKnown(log, c, limit);
      }
      if (out.size() - before < limit) {
        if (keyOrdered) {
          held.addAll(c.held.overflowed());
        }
        claimNew(log, c, limit - (out.size() - before));
      }
    } catch (OffsetOutOfRangeException retentionRace) {
      c.clampTo(log.logStart()); // retention removed messages meanwhile: claim them no more
    }
    List<Lease> mine = out.subList(before, out.size());
    for (int i = 1; i < mine.size(); i++) {
      if (mine.get(i).id().offset() < mine.get(i - 1).id().offset()) {
        mine.sort(Comparator.comparingLong(l -> l.id().offset()));
        break;
      }
    }
  }

  // ----------------------------------------------------------------------------------- known

  private void claimKnown(SegmentSet log, PartitionCursor c, int limit) {
    long wake = Long.MAX_VALUE;
    if (!c.runs.isEmpty()) {
      List<LeaseRun> expired = null;
      for (LeaseRun r : c.runs.values()) {
        if (r.leasedAt(now)) {
          wake = Math.min(wake, r.expiry);
          if (held != null) {
            for (long o = r.nextLive(r.first); o >= 0; o = r.nextLive(o + 1)) {
              String key = r.keys[(int) (o - r.first)];
              if (key != null) {
                held.add(key);
              }
            }
          }
        } else {
          expired = expired == null ? new ArrayList<>() : expired;
          expired.add(r);
        }
      }
      for (LeaseRun r : expired == null ? List.<LeaseRun>of() : expired) {
        c.runs.remove(r.first);
        for (long o = r.nextLive(r.first); o >= 0; o = r.nextLive(o + 1)) {
          c.entries.put(o, r.expired(o));
        }
      }
    }
    boolean complete = true;
    List<Entry> chosen = new ArrayList<>();
    List<StoredMessage> known = new ArrayList<>();
    for (Entry e : c.entries.values()) {
      if (chosen.size() >= limit) {
        complete = false;
        break;
      }
      StoredMessage m = null;
      if (held != null && !e.keyKnown) {
        m = log.read(e.offset, 1).get(0);
        e.key = m.message().key();
        e.deliverAt = Micros.ceilOf(m.message().deliverAt());
        e.keyKnown = true;
      }
      if (held != null && e.key != null && !held.add(e.key)) {
        continue;
      }
      if (!e.visibleAt(now)) {
        long w = e.wakeAt();
        wake = w == Micros.NONE ? wake : Math.min(wake, w);
        continue;
      }
      chosen.add(e);
      known.add(m);
    }
    readRuns(log, chosen, known);
    for (int i = 0; i < chosen.size(); i++) {
      out.add(grant(chosen.get(i), known.get(i)));
    }
    wake = chosen.isEmpty() ? wake : Math.min(wake, expiry);
    c.wakeAt = complete && held == null ? wake : PartitionCursor.LOOK;
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
          && chosen.get(j).offset - chosen.get(j - 1).offset <= READ_GAP
          && chosen.get(j).offset - first < READ_MAX) {
        j++;
      }
      List<StoredMessage> run = log.read(first, (int) (chosen.get(j - 1).offset - first + 1));
      for (int k = i; k < j; k++) {
        known.set(k, run.get((int) (chosen.get(k).offset - first)));
      }
      i = j;
    }
  }

  /** Leases an entry on its own; its attempt number is the attempts counted so far plus one. */
  private Lease grant(Entry e, StoredMessage m) {
    e.state = Entry.LEASED;
    e.started = false;
    if (e.firstDeliveredAt == Micros.NONE) {
      e.firstDeliveredAt = now;
    }
    e.token = tokens.incrementAndGet();
    e.grantedAt = now;
    e.leaseExpiry = expiry;
    e.nextVisible = Micros.NONE;
    Instant first = e.firstDeliveredAt == now ? nowInstant : Micros.instant(e.firstDeliveredAt);
    DeliveryId id = new DeliveryId(m.topic(), m.partition(), m.offset(), e.token);
    return new Lease(id, m, e.attempts + 1, expiresAt, first);
  }

  // ------------------------------------------------------------------------------------- new

  private void claimNew(SegmentSet log, PartitionCursor c, int limit) {
    List<StoredMessage> granted = new ArrayList<>(Math.min(limit, 1000));
    boolean skipping = false;
    boolean passedOver = false;
    try {
      while (granted.size() < limit && budget > 0 && c.scanFrom < log.endOffset()) {
        long doneEnd = c.done.endOf(c.scanFrom);
        if (doneEnd >= 0) {
          c.scanFrom = doneEnd; // acked out of order: skipped without reading
          continue;
        }
        // Exactly what is missing while every message examined was granted (the usual case: a
        // larger read decodes messages only to drop them); some slack once some were passed over.
        int slack = passedOver ? SLACK : 0;
        int want = skipping ? 1000 : Math.min(1000, limit - granted.size() + slack);
        want = (int) Math.min(want, c.done.nextAtOrAfter(c.scanFrom) - c.scanFrom);
        int before = granted.size();
        List<StoredMessage> batch = ahead.take(log, c.scanFrom, want);
        if (batch == null) {
          batch = log.read(c.scanFrom, want);
        }
        if (batch.isEmpty()) {
          break;
        }
        long scanned = c.scanFrom;
        examine(c, batch, granted, limit);
        skipping = granted.size() == before;
        passedOver |= c.scanFrom - scanned > granted.size() - before;
      }
    } finally {
      lease(c, granted);
    }
  }

  /** Examines new messages in offset order until the limit or the budget is reached. */
  private void examine(
      PartitionCursor c, List<StoredMessage> batch, List<StoredMessage> granted, int limit) {
    Long nextEntry = c.entries.isEmpty() ? null : c.entries.ceilingKey(c.scanFrom);
    for (StoredMessage m : batch) {
      if (granted.size() >= limit || budget <= 0) {
        return;
      }
      long o = m.offset();
      c.scanFrom = o + 1;
      if (nextEntry != null && nextEntry == o) {
        nextEntry = c.entries.higherKey(o); // replayed state: already known
        continue;
      }
      String key = m.message().key();
      Instant deliverAt = m.message().deliverAt();
      if (held != null && key != null && !held.add(key)) {
        c.held.hold(key, o, Micros.ceilOf(deliverAt));
        budget--;
        continue;
      }
      long due = Micros.ceilOf(deliverAt);
      if (due != Micros.NONE && due > now) {
        Entry e = new Entry(o);
        e.key = key;
        e.keyKnown = true;
        e.deliverAt = due;
        c.entries.put(o, e);
        c.wake(due);
        budget--;
        continue;
      }
      granted.add(m);
    }
  }

  /** Leases the granted new messages as runs (split where they lie far apart). */
  private void lease(PartitionCursor c, List<StoredMessage> granted) {
    int i = 0;
    while (i < granted.size()) {
      int j = i + 1;
      while (j < granted.size()
          && granted.get(j).offset() - granted.get(j - 1).offset() <= RUN_GAP) {
        j++;
      }
      long first = granted.get(i).offset();
      int span = (int) (granted.get(j - 1).offset() - first + 1);
      long base = tokens.getAndAdd(span) + 1;
      LeaseRun run = new LeaseRun(first, span, base, now, expiry);
      for (int k = i; k < j; k++) {
        StoredMessage m = granted.get(k);
        run.add(m.offset(), m.message().key());
        DeliveryId id = new DeliveryId(m.topic(), m.partition(), m.offset(), run.token(m.offset()));
        out.add(new Lease(id, m, 1, run.expiresAt, run.firstDelivered));
      }
      c.runs.put(first, run);
      c.wake(expiry);
      i = j;
    }
  }

  // ---------------------------------------------------------------------------------- refill

  /**
   * {@code KEY_ORDERED}: finds the next messages of keys that overflowed their partition's limit of
   * waiting offsets and whose queue ran dry, by reading the log again from where their unrecorded
   * messages start; the first becomes an entry, the next are queued (up to the limit).
   */
  private void refill(SegmentSet log, PartitionCursor c) {
    for (String key : List.copyOf(c.held.refills())) {
      if (budget <= 0) {
        return;
      }
      long at = c.held.beginRefill(key);
      boolean found = false;
      boolean stopped = false;
      while (!stopped && at < c.scanFrom && budget > 0) {
        List<StoredMessage> batch = log.read(at, (int) Math.min(1000, c.scanFrom - at));
        for (StoredMessage m : batch) {
          long o = m.offset();
          if (o >= c.scanFrom || budget <= 0) {
            break;
          }
          at = o + 1;
          budget--;
          if (!key.equals(m.message().key()) || c.done.contains(o) || c.entries.containsKey(o)) {
            continue;
          }
          long due = Micros.ceilOf(m.message().deliverAt());
          if (!found) {
            Entry e = new Entry(o);
            e.key = key;
            e.keyKnown = true;
            e.deliverAt = due;
            c.entries.put(o, e);
            found = true;
          } else if (!c.held.hold(key, o, due)) {
            stopped = true;
            break;
          }
        }
      }
      c.held.endRefill(key, at, !stopped && at >= c.scanFrom, found);
      c.wakeAt = PartitionCursor.LOOK;
    }
  }
}
