package io.sluice.consumer.internal;

import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.RetryPolicy;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.StartRequest;
import io.sluice.spi.Storage;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts attempts before handlers run: the {@link Dispatcher} passes every delivery that has a free
 * handler slot (never a prefetched one waiting for a slot), and the gate marks them started in one
 * {@link Storage#markStarted} call, before any of their handlers begins (or, for deliveries whose
 * claim counted their attempts because a slot was reserved for each, makes no call). So an attempt
 * is used up only by a handler run: deliveries a member claimed but never started come back after a
 * crash with their attempt number unchanged. What may not start is handed back unstarted: a
 * delivery whose lease (on the runtime's clock) passed while it waited, or whose mark the store
 * rejected (its lease is gone). A delivery whose attempts are all used up runs no handler (it is
 * dead-lettered as abandoned) and is let through unmarked.
 */
final class StartGate {
  private final Storage storage;
  private final String group;
  private final RetryPolicy retry;
  private final InstantSource clock;
  private final ConsumerListener listener;
  private final Settler settler;

  StartGate(
      Storage storage,
      String group,
      RetryPolicy retry,
      InstantSource clock,
      ConsumerListener listener,
      Settler settler) {
    this.storage = storage;
    this.group = group;
    this.retry = retry;
    this.clock = clock;
    this.listener = listener;
    this.settler = settler;
  }

  /**
   * Marks {@code batch} started; returns the deliveries that may run now, in order. The others are
   * settled here (handed back).
   */
  List<DeliveryTask> start(List<DeliveryTask> batch) {
    return start(batch, false);
  }

  /**
   * As {@link #start(List)}; {@code marked}: the claim that leased them counted their attempts
   * already ({@link io.sluice.spi.ClaimRequest#start()}), so no store call is made for them.
   */
  List<DeliveryTask> start(List<DeliveryTask> batch, boolean marked) {
    Instant now = clock.instant();
    List<DeliveryTask> go = new ArrayList<>(batch.size());
    List<DeliveryId> ids = new ArrayList<>(batch.size());
    for (DeliveryTask t : batch) {
      if (t.isSettled()) {
        continue;
      }
      if (t.isLeaseLost() || !now.isBefore(t.expiresAt())) {
        // Waited past its lease: another member may hold it soon. Never start it; hand it back so
        // the store redelivers it without waiting for its own expiry.
        settler.settleQuietly(t, Outcome.HAND_BACK);
      } else {
        if (!marked && retry.hasAttemptsLeft(t.attempt() - 1)) {
          ids.add(t.id());
        }
        go.add(t);
      }
    }
    if (marked) {
      go.forEach(t -> t.started(now));
    }
    return ids.isEmpty() ? go : mark(go, ids, now);
  }

  /** Marks {@code ids} (the deliveries of {@code go} that run a handler) in one store call. */
  private List<DeliveryTask> mark(List<DeliveryTask> go, List<DeliveryId> ids, Instant now) {
    BatchResult marked;
    try {
      marked = storage.markStarted(new StartRequest(group, ids));
    } catch (RuntimeException e) {
      listener.onError(group, e);
      go.forEach(t -> settler.settleQuietly(t, Outcome.HAND_BACK));
      return List.of();
    }
    Set<DeliveryId> rejected =
        marked.rejected().isEmpty() ? Set.of() : new HashSet<>(marked.rejected());
    List<DeliveryTask> running = rejected.isEmpty() ? go : new ArrayList<>(go.size());
    for (DeliveryTask t : go) {
      if (rejected.contains(t.id())) {
        settler.settleQuietly(t, Outcome.HAND_BACK);
      } else {
        t.started(now);
        if (running != go) {
          running.add(t);
        }
      }
    }
    return running;
  }
}
