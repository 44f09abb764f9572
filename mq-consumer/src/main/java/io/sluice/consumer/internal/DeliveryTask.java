package io.sluice.consumer.internal;

import io.micrometer.observation.Observation;
import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.AckMode;
import io.sluice.consumer.DeadLetterHeaders;
import io.sluice.spi.AckRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed message inside a member, from claim to settle, and the {@link Delivery} its handler
 * sees. The path is linear: the claim loop makes it; the {@link Dispatcher} queues it; the {@link
 * StartGate} marks it started (or hands it back unstarted); a worker runs {@link #run()}, which
 * skips it, dead-letters it as abandoned, or runs the handler, and turns what happened into one
 * {@link Outcome} for {@link Settler#settle}. A manual call on the delivery, the lease keeper (a
 * handler past {@code maxHandlerTime}) and shutdown reach the same settle method; exactly one of
 * them wins the delivery's settle flag.
 */
final class DeliveryTask implements Delivery, Arrivals.Linked<DeliveryTask> {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryTask.class);
  private static final VarHandle FLAGS;

  static {
    try {
      FLAGS = MethodHandles.lookup().findVarHandle(DeliveryTask.class, "flags", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int SETTLED = 1;
  private static final int LEASE_LOST = 2;
  private static final int UNTRACKED = 4;
  private static final int TIMED_OUT = 8;
  private static final int AUTO_ONLY = 16;

  /** Where the task is: claimed, marked started, handler running, handler returned. */
  static final int QUEUED = 0;

  static final int STARTED = 1;
  static final int RUNNING = 2;
  static final int RETURNED = 3;

  private final MemberContext member;
  private final Lease lease;
  private final Claimed claimed;
  private volatile int flags;
  private volatile int phase;
  private volatile Instant expiresAt;
  private volatile Instant startedAt;
  private volatile Thread runner;
  private volatile Observation observation;

  /** The dispatcher's bookkeeping, guarded by its lock. */
  boolean laneHead;

  boolean retired;

  /**
   * What the ack batcher applies for this task, and the next in its stack; see {@link AckBatcher}.
   */
  byte ackKind;

  private DeliveryTask nextAck;

  @Override
  public DeliveryTask nextArrival() {
    return nextAck;
  }

  @Override
  public void nextArrival(DeliveryTask next) {
    nextAck = next;
  }

  private volatile int ackState;
  private volatile Thread ackWaiter;
  private RuntimeException ackError;

  /**
   * A delivery whose lease ends at {@code expiresAt} on the runtime's clock (claim time plus the
   * lease), not the store's {@link Lease#expiresAt()}: the two clocks may differ.
   */
  DeliveryTask(MemberContext member, Lease lease, Claimed claimed, Instant expiresAt) {
    this.member = member;
    this.lease = lease;
    this.claimed = claimed;
    this.expiresAt = expiresAt;
  }

  // ------------------------------------------------------------------------------ the run path

  /** Runs on a worker once the task was started: skip, abandoned, or the handler; then settles. */
  void run() {
    begin(Thread.currentThread());
    try {
      Outcome outcome = handle();
      if (outcome != null) {
        member.settler().settleQuietly(this, outcome);
      }
    } finally {
      Observation o = observation;
      if (o != null) {
        o.stop(); // after settling: a dead letter written is part of the run
      }
      end();
    }
  }

  /** Its handler (a batch's, or its own) runs on {@code thread} from now on. */
  void begin(Thread thread) {
    runner = thread;
    phase = RUNNING;
  }

  /** Its handler returned. */
  void end() {
    phase = RETURNED;
    runner = null;
  }

  private Outcome handle() {
    Outcome before = beforeHandler();
    if (before != null) {
      return before;
    }
    Instant start = member.timed() ? member.clock().instant() : null;
    Throwable failure = null;
    boolean lost = false;
    Observation o = member.observations().startProcess(this); // null unless observed
    if (o != null) {
      observation = o; // no volatile write per delivery when unobserved
    }
    Observation.Scope scope = o == null ? null : o.openScope();
    try {
      if (member.transactionalHandler() != null) {
        lost = !runInTransaction();
      } else {
        member.handler().handle(this);
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      if (scope != null) {
        scope.close();
      }
    }
    if (o != null && failure != null) {
      o.error(failure);
    }
    if (start != null) {
      member.listener().onHandled(this, Duration.between(start, member.clock().instant()), failure);
    }
    return lost ? Outcome.LOST : afterHandler(failure, member.transactionalHandler() != null);
  }

  /**
   * Reports the delivery and decides whether a handler may see it: an outcome when it is skipped (a
   * duplicate, another group's redrive), cannot be checked, or was abandoned; null when the handler
   * runs.
   */
  Outcome beforeHandler() {
    member.listener().onDelivered(this);
    Outcome skip;
    try {
      skip = skipped();
    } catch (RuntimeException e) {
      LOG.warn("group {}: could not check {} for duplicates", group(), this, e);
      member.listener().onError(group(), e);
      return Outcome.RELEASE;
    }
    if (skip != null) {
      return skip;
    }
    if (!member.config().retry().hasAttemptsLeft(attempt() - 1)) {
      // Every allowed attempt started and the last never reported back: the consumer died or its
      // lease ran out mid-message. A message that kills its consumer must not loop forever.
      return Outcome.abandoned();
    }
    return null;
  }

  /** Runs the transactional handler in the store transaction that acks; false if stale. */
  private boolean runInTransaction() throws Exception {
    try {
      member
          .storage()
          .inTransaction(
              AckRequest.of(group(), AckBatcher.ackOf(this)),
              tx -> {
                member.transactionalHandler().handle(this, tx);
                return null;
              });
      return true;
    } catch (StaleDeliveryException e) {
      return false;
    }
  }

  private Outcome skipped() {
    if (!headers().isEmpty()) {
      Optional<String> target = headers().lastValue(DeadLetterHeaders.REDRIVE_GROUP);
      if (target.isPresent() && !target.get().equals(group())) {
        return new Outcome.Skip(false);
      }
    }
    String key = DerivedKeys.processedKey(message());
    if (key != null
        && member.config().skipProcessed()
        && member.storage().isProcessed(group(), topic(), key)) {
      return new Outcome.Skip(true);
    }
    return null;
  }

  /**
   * What the handler's return means for this delivery: {@code failure} is what it threw (null when
   * it returned), {@code committed} whether its ack was committed with its transaction. Null when
   * nothing is left to do (it was settled already, or a manual handler left it).
   */
  Outcome afterHandler(Throwable failure, boolean committed) {
    if (isSettled()) {
      if (failure != null && !(failure instanceof StaleDeliveryException)) {
        LOG.debug("group {}: handler threw after settling {}", group(), this, failure);
      }
      return null;
    }
    if (failure == null) {
      if (committed) {
        return Outcome.COMMITTED;
      }
      return member.config().ackMode() == AckMode.AUTO ? Outcome.ACK : null;
    }
    if (failure instanceof InterruptedException) {
      return Outcome.RELEASE;
    }
    if (failure instanceof Error e && !(e instanceof AssertionError)) {
      LOG.error("group {}: handler threw an Error on {}", group(), this, e);
    }
    return Outcome.failed(member.config().retry(), attempt(), failure);
  }

  // ------------------------------------------------------------------------------------- state

  DeliveryId id() {
    return lease.id();
  }

  int phase() {
    return phase;
  }

  /** Marked started at {@code now} (the start gate). */
  void started(Instant now) {
    startedAt = now;
    phase = STARTED;
  }

  /** When the gate marked it started, or null. */
  Instant startedAt() {
    return startedAt;
  }

  Thread runner() {
    return runner;
  }

  /** The process observation of the handler run, or null when not observed. */
  Observation observation() {
    return observation;
  }

  private boolean setFlag(int flag) {
    int f;
    do {
      f = flags;
      if ((f & flag) != 0) {
        return false;
      }
    } while (!FLAGS.compareAndSet(this, f, f | flag));
    return true;
  }

  /** Claims the right to settle; false if someone already did. */
  boolean trySettle() {
    return setFlag(SETTLED);
  }

  boolean isSettled() {
    return (flags & SETTLED) != 0;
  }

  /** Marks the lease lost; true the first time (count it once). */
  boolean markLeaseLost() {
    return setFlag(LEASE_LOST);
  }

  boolean isLeaseLost() {
    return (flags & LEASE_LOST) != 0;
  }

  /** Marks the handler as past its time; true the first time. */
  boolean markTimedOut() {
    return setFlag(TIMED_OUT);
  }

  boolean isTimedOut() {
    return (flags & TIMED_OUT) != 0;
  }

  /** From now on only the runtime settles it (a transactional batch acks in its transaction). */
  void autoOnly() {
    setFlag(AUTO_ONLY);
  }

  private void checkUserSettle() {
    if ((flags & AUTO_ONLY) != 0) {
      throw new IllegalStateException(
          this
              + " is in a transactional batch, which acks every delivery in its transaction:"
              + " return to commit, or throw to roll back and retry the batch");
    }
  }

  /** Stops tracking it (settled, or its lease passed unsettled); the first call counts. */
  void untrack() {
    if (setFlag(UNTRACKED)) {
      claimed.left();
    }
  }

  boolean isTracked() {
    return (flags & UNTRACKED) == 0;
  }

  Instant expiresAt() {
    return expiresAt;
  }

  void extendedTo(Instant expiry) {
    if (expiry.isAfter(expiresAt)) {
      expiresAt = expiry;
    }
  }

  // ------------------------------------------------------------- a queued ack, for manual acks

  static final int ACK_PENDING = 0;
  static final int ACK_APPLIED = 1;
  static final int ACK_REJECTED = 2;
  static final int ACK_FAILED = 3;

  /** The ack batcher's answer for this task's ack (see {@link Settler#acked}). */
  void acked(boolean applied, RuntimeException error) {
    member.settler().acked(this, applied, error);
  }

  /** Records the answer and wakes a manual {@code ack()} waiting for it. */
  void ackCompleted(int result, RuntimeException failure) {
    ackError = failure;
    ackState = result;
    Thread w = ackWaiter;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /**
   * Waits for {@link #ackCompleted}: uninterruptibly, since the batcher always answers what it was
   * given (an interrupt is kept for the caller).
   */
  int awaitAck() {
    ackWaiter = Thread.currentThread();
    boolean interrupted = false;
    while (ackState == ACK_PENDING) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    ackWaiter = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return ackState;
  }

  RuntimeException ackError() {
    return ackError;
  }

  // ----------------------------------------------------------------------- the handler's view

  @Override
  public String group() {
    return member.group();
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
    checkUserSettle();
    member.settler().settleForUser(this, Outcome.WAITED_ACK);
  }

  @Override
  public void nack() {
    checkUserSettle();
    member.settler().settleForUser(this, Outcome.failed(member.config().retry(), attempt(), null));
  }

  @Override
  public void nack(Duration delay) {
    checkUserSettle();
    Validation.nonNegative("nack delay", delay);
    member.settler().settleForUser(this, Outcome.nacked(member.config().retry(), attempt(), delay));
  }

  @Override
  public void retryLater(Duration delay) {
    checkUserSettle();
    member
        .settler()
        .settleForUser(this, new Outcome.Defer(Validation.nonNegative("retryLater delay", delay)));
  }

  @Override
  public void deadLetter(String reason) {
    checkUserSettle();
    Validation.text("dead-letter reason", reason);
    member.settler().settleForUser(this, new Outcome.DeadLetter(reason, null));
  }

  @Override
  public void extendLease(Duration extension) {
    member.settler().extend(this, Validation.positive("lease extension", extension));
  }

  @Override
  public String toString() {
    return "Delivery[" + group() + " " + lease.id() + " attempt " + lease.attempt() + "]";
  }
}
