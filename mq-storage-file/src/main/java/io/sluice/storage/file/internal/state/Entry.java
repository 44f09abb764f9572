package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.time.Instant;

/**
 * One message's state for one group, above the committed offset. Not thread-safe: its group's lock
 * guards it.
 */
final class Entry {
  /**
   * Never claimed: waiting for its {@code deliverAt}, or the next message of a key whose earlier
   * message is done (promoted from the key's queue, {@link PartitionCursor#promote}).
   */
  static final int PENDING = 0;

  /** Leased to a member until {@link #leaseExpiry}. */
  static final int LEASED = 1;

  /** Released or expired: visible again at {@link #nextVisible} (null = now). */
  static final int RETRY = 2;

  /** Acked. */
  static final int DONE = 3;

  final long offset;
  int state;

  /**
   * Attempts counted: handler starts (and failures reported unstarted) of this and earlier grants.
   */
  int attempts;

  /** Whether the current grant's handler started (its attempt is counted); reset by each grant. */
  boolean started;

  Instant firstDeliveredAt;
  long token;
  Instant grantedAt;
  Instant leaseExpiry;
  Instant nextVisible;
  Instant deliverAt;
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
  boolean leasedAt(Instant now) {
    if (state != LEASED || !now.isBefore(leaseExpiry)) {
      return false;
    }
    java.time.Duration length = java.time.Duration.between(grantedAt, leaseExpiry);
    return !now.isBefore(grantedAt.minus(length));
  }

  /** Whether a claim may hand this message out now (keys aside). */
  boolean visibleAt(Instant now) {
    return switch (state) {
      case PENDING -> deliverAt == null || !now.isBefore(deliverAt);
      case LEASED -> !leasedAt(now);
      case RETRY -> nextVisible == null || !now.isBefore(nextVisible);
      default -> false;
    };
  }

  /** When this entry may next become visible, for the claim skip; null if now or never. */
  Instant wakeAt() {
    return switch (state) {
      case PENDING -> deliverAt;
      case LEASED -> leaseExpiry;
      case RETRY -> nextVisible;
      default -> null;
    };
  }

  /** Counts toward a group's in-flight messages. */
  boolean inFlightAt(Instant now) {
    return state == DONE
        || leasedAt(now)
        || (state == RETRY && nextVisible != null && now.isBefore(nextVisible));
  }

  EntryState persisted() {
    return new EntryState(offset, state == DONE, attempts, firstDeliveredAt, nextVisible);
  }
}
