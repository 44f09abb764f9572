package io.sluice.spi.tck;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.internal.Validation;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The claim scan of {@link InMemoryStorage}: visibility, KEY_ORDERED hold-back (a key's first
 * undone message holds back only that key's later ones) and fencing tokens. Not thread-safe: the
 * store's lock guards it.
 */
final class MemClaimer {
  private long nextToken = 1;

  /** Leases up to {@code limit} visible messages of one partition to the group, in order. */
  void claim(
      MemTopic t,
      MemPartition p,
      MemGroup g,
      ClaimRequest request,
      Instant now,
      int limit,
      List<Lease> out) {
    MemGroup.Cursor c = g.cursor(p, request.startPosition());
    Set<String> heldKeys = request.ordering() == Ordering.KEY_ORDERED ? new HashSet<>() : null;
    int taken = 0;
    for (long o = c.committed; o < p.end() && taken < limit; o++) {
      MemGroup.Entry e = c.entries.get(o);
      if (e != null && e.done) {
        continue;
      }
      StoredMessage m = p.get(o);
      String key = m.message().key();
      if (heldKeys != null && key != null && !heldKeys.add(key)) {
        continue;
      }
      if (!visible(e, m.message(), now)) {
        continue;
      }
      if (e == null) {
        e = new MemGroup.Entry();
        c.entries.put(o, e);
      }
      e.started = false;
      e.firstDeliveredAt = e.firstDeliveredAt == null ? now : e.firstDeliveredAt;
      e.token = nextToken++;
      e.leaseExpiry = plus(now, request.lease());
      e.nextVisible = null;
      DeliveryId id = new DeliveryId(t.name(), p.id(), o, e.token);
      out.add(new Lease(id, m, e.attempts + 1, e.leaseExpiry, e.firstDeliveredAt));
      taken++;
    }
  }

  static boolean visible(MemGroup.Entry e, Message m, Instant now) {
    if (m.deliverAt() != null && now.isBefore(m.deliverAt())) {
      return false;
    }
    return e == null
        || (!e.leasedAt(now) && (e.nextVisible == null || !now.isBefore(e.nextVisible)));
  }

  /** {@code t + d}, capped at the latest instant a message may carry. */
  static Instant plus(Instant t, Duration d) {
    try {
      Instant r = t.plus(d);
      return r.isAfter(Validation.MAX_INSTANT) ? Validation.MAX_INSTANT : r;
    } catch (ArithmeticException | java.time.DateTimeException overflow) {
      return Validation.MAX_INSTANT;
    }
  }
}
