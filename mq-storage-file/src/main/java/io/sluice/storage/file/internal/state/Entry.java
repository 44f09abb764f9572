package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.state.StateRecord.EntryState;

/**
 * One message that is individually special for one group, above the committed offset: delayed by
 * its {@code deliverAt}, waiting for a retry, redelivered after its lease expired, or the next
 * message of a held key. Messages claimed together from new are not entries but members of a {@link
 * LeaseRun}; acked ones are ranges. Times are epoch microseconds ({@link Micros}). Not thread-safe:
 * its group's lock guards it.
 */
final class Entry {
  /**
   * Never claimed: waiting for its {@code deliverAt}, or the next message of a key whose earlier
   * message is done (promoted from the key's queue).
   */
  static final int PENDING = 0;

  /** Leased to a member until {@link #leaseExpiry}. */
  static final int LEASED = 1;

  /** Released or expired: visible again at {@link #nextVisible} ({@link Micros#NONE} = now). */
  static final int RETRY = 2;

  final long offset;
  int state;

  /**
   * Attempts counted: handler starts (and failures reported unstarted) of this and earlier grants.
   */
  int attempts;

  /** Whether the current grant's handler started (its attempt is counted); reset by each grant. */
  boolean started;

  long firstDeliveredAt = Micros.NONE;
  long token;
  long grantedAt;
  long leaseExpiry;
  long nextVisible = Micros.NONE;
  long deliverAt = Micros.NONE;
  String key;

  /** Whether {@link #key} and {@link #deliverAt} are known (false for a replayed entry). */
  boolean keyKnown;

  Entry(long offset) {
    this.offset = offset;
  }

  /**
   * Whether the lease is current. A lease ends at its expiry; if the clock jumps back by more than
   * the lease's length it ends too, so no clock step can make a lease last for ever.
   */
  boolean leasedAt(long now) {
    return state == LEASED && LeaseRun.current(grantedAt, leaseExpiry, now);
  }

  /** Whether a claim may hand this message out now (keys aside). */
  boolean visibleAt(long now) {
    return switch (state) {
      case PENDING -> deliverAt == Micros.NONE || now >= deliverAt;
      case LEASED -> !leasedAt(now);
      default -> nextVisible == Micros.NONE || now >= nextVisible;
    };
  }

  /** When this entry may next become visible, for the claim skip; {@link Micros#NONE} if now. */
  long wakeAt() {
    return switch (state) {
      case PENDING -> deliverAt;
      case LEASED -> leaseExpiry;
      default -> nextVisible;
    };
  }

  /** Counts toward a group's in-flight messages. */
  boolean inFlightAt(long now) {
    return leasedAt(now) || (state == RETRY && nextVisible != Micros.NONE && now < nextVisible);
  }

  /**
   * Whether a snapshot must keep this entry: it has counted attempts or a retry time. A delayed or
   * promoted message, or one leased from new, is found again by scanning the log.
   */
  boolean durable() {
    return attempts > 0 || (state == RETRY && nextVisible != Micros.NONE);
  }

  EntryState persisted() {
    return new EntryState(
        offset, attempts, firstDeliveredAt, state == RETRY ? nextVisible : Micros.NONE);
  }
}
