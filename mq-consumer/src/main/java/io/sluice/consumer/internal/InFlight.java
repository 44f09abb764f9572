package io.sluice.consumer.internal;

import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.internal.Validation;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One claimed message inside a member: the {@link Delivery} the handler sees, its execution phase,
 * whether it is settled, and its current lease expiry. Settling is decided by one compare-and-set,
 * so exactly one of handler, runtime and shutdown settles each delivery.
 */
final class InFlight implements Delivery {
  /** Where the delivery is in its execution. */
  enum Phase {
    /** Claimed, waiting for a handler thread. */
    QUEUED,
    /** The handler is running. */
    RUNNING,
    /** The handler returned (manual mode may leave it unsettled). */
    RETURNED,
    /** Never started: released at shutdown or found expired. */
    CANCELLED
  }

  private final String group;
  private final Lease lease;
  private final Settler settler;
  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.QUEUED);
  private final AtomicBoolean settled = new AtomicBoolean();
  private final AtomicBoolean leaseLost = new AtomicBoolean();
  private volatile Instant expiresAt;

  /**
   * A delivery whose lease ends at {@code expiresAt} on the runtime's clock (claim time plus the
   * lease), not the store's {@link Lease#expiresAt()}: the two clocks may differ (a database
   * clock).
   */
  InFlight(String group, Lease lease, Settler settler, Instant expiresAt) {
    this.group = group;
    this.lease = lease;
    this.settler = settler;
    this.expiresAt = expiresAt;
  }

  DeliveryId id() {
    return lease.id();
  }

  Phase phase() {
    return phase.get();
  }

  boolean moveTo(Phase from, Phase to) {
    return phase.compareAndSet(from, to);
  }

  /** Claims the right to settle; false if someone already did. */
  boolean trySettle() {
    return settled.compareAndSet(false, true);
  }

  boolean isSettled() {
    return settled.get();
  }

  /** Marks the lease lost; true the first time (count it once). */
  boolean markLeaseLost() {
    return leaseLost.compareAndSet(false, true);
  }

  boolean isLeaseLost() {
    return leaseLost.get();
  }

  Instant expiresAt() {
    return expiresAt;
  }

  void extendedTo(Instant expiry) {
    if (expiry.isAfter(expiresAt)) {
      expiresAt = expiry;
    }
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public String topic() {
    return lease.message().topic();
  }

  @Override
  public int partition() {
    return lease.message().partition();
  }

  @Override
  public long offset() {
    return lease.message().offset();
  }

  @Override
  public int attempt() {
    return lease.attempt();
  }

  @Override
  public Instant firstDeliveredAt() {
    return lease.firstDeliveredAt();
  }

  @Override
  public Message message() {
    return lease.message().message();
  }

  @Override
  public void ack() {
    settler.ack(this, true);
  }

  @Override
  public void nack() {
    settler.fail(this, null, null, true);
  }

  @Override
  public void nack(Duration delay) {
    settler.fail(this, null, Validation.nonNegative("nack delay", delay), true);
  }

  @Override
  public void retryLater(Duration delay) {
    settler.defer(this, Validation.nonNegative("retryLater delay", delay));
  }

  @Override
  public void deadLetter(String reason) {
    Validation.text("dead-letter reason", reason);
    settler.deadLetter(this, reason, null, true);
  }

  @Override
  public void extendLease(Duration extension) {
    settler.extend(this, Validation.positive("lease extension", extension));
  }

  @Override
  public String toString() {
    return "Delivery[" + group + " " + lease.id() + " attempt " + lease.attempt() + "]";
  }
}
