package io.sluice.consumer.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The deliveries a member holds and has not settled (queued, running, or returned unsettled by a
 * manual handler with their lease still running), by claim batch. The lease keeper extends them and
 * shutdown releases them.
 */
final class InFlight {
  private final Set<Claimed> batches = ConcurrentHashMap.newKeySet();

  void add(Claimed batch) {
    batches.add(batch);
  }

  void remove(Claimed batch) {
    batches.remove(batch);
  }

  /** Calls {@code action} for every delivery still tracked (weakly consistent). */
  void forEach(Consumer<DeliveryTask> action) {
    for (Claimed batch : batches) {
      for (DeliveryTask t : batch.tasks()) {
        if (t.isTracked()) {
          action.accept(t);
        }
      }
    }
  }

  /** Whether no delivery is tracked. */
  boolean isEmpty() {
    return batches.isEmpty();
  }
}
