package io.sluice.storage.file.internal.state;

import java.time.Instant;

/**
 * Messages of one partition leased together by one claim, never claimed before: one lease record
 * for all of them instead of one per message. The run covers {@code [first, first + span)}; its
 * <i>members</i> are the offsets granted (bit set in {@link #live} until acked, released or split
 * off), each with token {@code tokenBase + (offset - first)}, so tokens stay unique per grant.
 * Holes (delayed messages, messages held behind their key) are not members. A member started by its
 * handler has its bit in {@link #started} (it has counted one attempt). When the lease expires, the
 * claim that notices turns the members still live into {@link Entry entries} and drops the run.
 * Times are epoch microseconds. Not thread-safe: its group's lock guards it.
 */
final class LeaseRun {
  final long first;
  final int span;
  final long tokenBase;
  final long firstDeliveredAt;

  /** The first delivery as an instant, shared by the run's leases. */
  final Instant firstDelivered;

  /** Each member's key (index {@code offset - first}), for {@code KEY_ORDERED} holds. */
  final String[] keys;

  private final long[] live;
  private long[] started;
  private int liveCount;
  long grantedAt;
  long expiry;

  /** The expiry as an instant, shared by the run's leases. */
  Instant expiresAt;

  LeaseRun(long first, int span, long tokenBase, long now, long expiry) {
    this.first = first;
    this.span = span;
    this.tokenBase = tokenBase;
    this.firstDeliveredAt = now;
    this.firstDelivered = Micros.instant(now);
    this.keys = new String[span];
    this.live = new long[(span + 63) >>> 6];
    this.grantedAt = now;
    this.expiry = expiry;
    this.expiresAt = Micros.instant(expiry);
  }

  /**
   * Whether a lease granted at {@code grantedAt} until {@code expiry} is current at {@code now}: it
   * ends at its expiry, and also if the clock jumped back by more than its length.
   */
  static boolean current(long grantedAt, long expiry, long now) {
    return now < expiry && now >= grantedAt - (expiry - grantedAt);
  }

  boolean leasedAt(long now) {
    return current(grantedAt, expiry, now);
  }

  long last() {
    return first + span - 1;
  }

  /** Adds a member. */
  void add(long offset, String key) {
    int i = (int) (offset - first);
    live[i >>> 6] |= 1L << i;
    keys[i] = key;
    liveCount++;
  }

  long token(long offset) {
    return tokenBase + (offset - first);
  }

  /** Whether {@code offset} is a live member. */
  boolean isLive(long offset) {
    long i = offset - first;
    return i >= 0 && i < span && (live[(int) (i >>> 6)] & 1L << i) != 0;
  }

  /** Whether the member {@code offset} is live with {@code token} and the lease current. */
  boolean holds(long offset, long token, long now) {
    return isLive(offset) && token == token(offset) && leasedAt(now);
  }

  /** Removes a member (acked, released or split off); returns whether the run is now empty. */
  boolean remove(long offset) {
    int i = (int) (offset - first);
    live[i >>> 6] &= ~(1L << i);
    keys[i] = null;
    liveCount--;
    return liveCount == 0;
  }

  int liveCount() {
    return liveCount;
  }

  boolean isStarted(long offset) {
    int i = (int) (offset - first);
    return started != null && (started[i >>> 6] & 1L << i) != 0;
  }

  /** Marks a member started; returns false if it already was. */
  boolean start(long offset) {
    int i = (int) (offset - first);
    if (started == null) {
      started = new long[live.length];
    } else if ((started[i >>> 6] & 1L << i) != 0) {
      return false;
    }
    started[i >>> 6] |= 1L << i;
    return true;
  }

  /** The attempts a member has counted: one if its handler started. */
  int attempts(long offset) {
    return isStarted(offset) ? 1 : 0;
  }

  /** The next live member at or after {@code offset}, or -1. */
  long nextLive(long offset) {
    long i = Math.max(0, offset - first);
    while (i < span) {
      long word = live[(int) (i >>> 6)] >>> i;
      if (word != 0) {
        return first + i + Long.numberOfTrailingZeros(word);
      }
      i = (i | 63) + 1;
    }
    return -1;
  }

  /** Drops the members below {@code offset} (removed by retention). */
  void dropBelow(long offset) {
    for (long o = nextLive(first); o >= 0 && o < offset; o = nextLive(o + 1)) {
      remove(o);
    }
  }

  /** Extends the lease of every member. */
  void extend(long now, long newExpiry) {
    grantedAt = now;
    expiry = newExpiry;
    expiresAt = Micros.instant(newExpiry);
  }

  /** A member as an entry leased on its own (split off the run), same token and attempts. */
  Entry split(long offset) {
    Entry e = new Entry(offset);
    e.state = Entry.LEASED;
    e.started = isStarted(offset);
    e.attempts = attempts(offset);
    e.firstDeliveredAt = firstDeliveredAt;
    e.token = token(offset);
    e.grantedAt = grantedAt;
    e.leaseExpiry = expiry;
    e.key = keys[(int) (offset - first)];
    e.keyKnown = true;
    return e;
  }

  /** A member after the lease expired: visible again now, with the attempts it counted. */
  Entry expired(long offset) {
    Entry e = split(offset);
    e.state = Entry.RETRY;
    e.started = false;
    return e;
  }
}
