package io.sluice.consumer.internal;

import io.sluice.api.Delivery;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.consumer.BatchHandler;
import io.sluice.consumer.RetryPolicy;
import io.sluice.consumer.TransactionalBatchHandler;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.TransactionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Runs a batch handler over the deliveries a {@link Dispatcher} worker gathered: each delivery is
 * reported and checked as a single one would be ({@link DeliveryTask#beforeHandler}: duplicates,
 * other groups' redrives and abandoned messages never reach the handler), the handler runs once for
 * the rest, and each delivery is settled by what it did ({@link DeliveryTask#afterHandler}). A
 * transactional handler on a store with transactions runs in {@link
 * io.sluice.spi.Storage#inTransaction} with the acks of the whole batch; on a store without, it
 * runs with {@link TransactionContext#none()} and the acks follow through the ack batcher.
 */
final class BatchRunner {
  private final BatchHandler handler;
  private final TransactionalBatchHandler transactional;
  private final int maxSize;
  private final long waitNanos;

  /** Exactly one of {@code handler} and {@code transactional} is set. */
  BatchRunner(
      BatchHandler handler, TransactionalBatchHandler transactional, int maxSize, Duration wait) {
    this.handler = handler;
    this.transactional = transactional;
    this.maxSize = maxSize;
    this.waitNanos = wait.toNanos();
  }

  int maxSize() {
    return maxSize;
  }

  long waitNanos() {
    return waitNanos;
  }

  /** Runs one batch on the calling thread and settles each of its deliveries. */
  void run(List<DeliveryTask> batch, MemberContext member) {
    Thread me = Thread.currentThread();
    for (DeliveryTask t : batch) {
      t.begin(me);
    }
    List<DeliveryTask> go = new ArrayList<>(batch.size());
    try {
      for (DeliveryTask t : batch) {
        Outcome before = t.beforeHandler();
        if (before != null) {
          member.settler().settleQuietly(t, before);
        } else {
          go.add(t);
        }
      }
      if (!go.isEmpty()) {
        handle(go, member);
      }
    } finally {
      for (DeliveryTask t : batch) {
        t.end();
      }
    }
  }

  private void handle(List<DeliveryTask> go, MemberContext member) {
    List<Delivery> view = Collections.unmodifiableList(go);
    boolean inStoreTransaction =
        transactional != null && member.storage().capabilities().transactions();
    Instant start = member.timed() ? member.clock().instant() : null;
    Throwable failure = null;
    Object stale = null;
    try {
      if (handler != null) {
        handler.handle(view);
      } else if (inStoreTransaction) {
        stale = runInTransaction(go, view, member);
      } else {
        go.forEach(DeliveryTask::autoOnly);
        transactional.handle(view, TransactionContext.none());
      }
    } catch (Throwable e) {
      failure = e;
    }
    for (DeliveryTask t : go) {
      t.end(); // the lease keeper no longer interrupts it: the settles below talk to the store
    }
    if (start != null) {
      Duration took = Duration.between(start, member.clock().instant());
      for (DeliveryTask t : go) {
        member.listener().onHandled(t, took, failure);
      }
    }
    // An interrupt meant for the handler ends with it: the settles below talk to the store.
    Thread.interrupted();
    if (go.stream().anyMatch(DeliveryTask::isTimedOut)) {
      // maxHandlerTime is the batch's: every delivery of it failed that attempt, not just the
      // ones the lease keeper reached before the interrupted handler returned.
      failure =
          new TimeoutException(
              "the batch handler ran longer than maxHandlerTime "
                  + member.config().maxHandlerTime());
      stale = null;
    }
    for (DeliveryTask t : go) {
      Outcome o;
      if (stale != null) {
        // The transaction rolled back because one lease was lost; the others were not processed.
        o = t.id().equals(stale) ? Outcome.LOST : Outcome.RELEASE;
      } else {
        o = inBatchOf(go.size(), t, t.afterHandler(failure, inStoreTransaction), member);
      }
      if (o != null) {
        member.settler().settleQuietly(t, o);
      }
    }
  }

  /**
   * A batch of several that threw an exception the policy does not retry cannot tell which delivery
   * caused it: each is retried alone (while it has attempts left) instead of all being
   * dead-lettered, so only the one that fails alone ends in the dead-letter topic.
   */
  private static Outcome inBatchOf(int size, DeliveryTask t, Outcome o, MemberContext member) {
    if (size > 1 && o instanceof Outcome.DeadLetter d && Outcome.NOT_RETRYABLE.equals(d.reason())) {
      RetryPolicy policy = member.config().retry();
      return policy.hasAttemptsLeft(t.attempt())
          ? new Outcome.Retry(
              policy.backoff().delay(t.attempt(), ThreadLocalRandom.current()), d.error())
          : new Outcome.DeadLetter(Outcome.EXHAUSTED, d.error());
    }
    return o;
  }

  /** The handler and the batch's acks in one store transaction; the stale id if it rolled back. */
  private Object runInTransaction(List<DeliveryTask> go, List<Delivery> view, MemberContext member)
      throws Exception {
    List<Ack> acks = new ArrayList<>(go.size());
    for (DeliveryTask t : go) {
      t.autoOnly();
      acks.add(AckBatcher.ackOf(t));
    }
    try {
      member
          .storage()
          .inTransaction(
              new AckRequest(member.group(), acks),
              tx -> {
                transactional.handle(view, tx);
                return null;
              });
      return null;
    } catch (StaleDeliveryException e) {
      return e.delivery() != null ? e.delivery() : go.get(0).id();
    }
  }
}
