package io.sluice.storage.file.internal.state;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.ReleaseRequest;
import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a lease holder does with its lease: mark it started, ack, release or extend it. Each names
 * the lease by its delivery id and applies only to the current, unexpired grant (fencing); each
 * change is written to the state journal under its group's lock before the call returns, and under
 * {@code SYNC} forced too (extensions are not journaled: leases do not survive a restart).
 */
public final class Settlements {
  private final GroupStateStore state;

  Settlements(GroupStateStore state) {
    this.state = state;
  }

  /** The ids grouped by topic, in first-seen order. */
  private static <T> Map<String, List<T>> byTopic(
      List<T> items, java.util.function.Function<T, DeliveryId> id) {
    Map<String, List<T>> out = new java.util.LinkedHashMap<>();
    for (T item : items) {
      out.computeIfAbsent(id.apply(item).topic(), t -> new ArrayList<>()).add(item);
    }
    return out;
  }

  private static List<StateRecord> entries(
      String group, GroupTopic g, Map<Integer, List<EntryState>> byPartition) {
    List<StateRecord> records = new ArrayList<>(byPartition.size());
    byPartition.forEach(
        (p, states) -> records.add(new StateRecord.Entries(group, g.topic, p, states)));
    return records;
  }

  /**
   * See {@link io.sluice.spi.Storage#markStarted}: counts one attempt per grant, journaled (and
   * under {@code SYNC} forced) before it returns, as durable as an ack.
   */
  public BatchResult markStarted(String group, List<DeliveryId> ids) {
    int applied = 0;
    List<DeliveryId> rejected = new ArrayList<>();
    for (Map.Entry<String, List<DeliveryId>> t : byTopic(ids, id -> id).entrySet()) {
      GroupTopic g = state.existing(group, t.getKey());
      if (g == null) {
        rejected.addAll(t.getValue());
        continue;
      }
      Map<Integer, List<EntryState>> counted = new HashMap<>();
      g.lock.lock();
      try {
        Instant now = state.now();
        for (DeliveryId id : t.getValue()) {
          Entry e = g.current(id, now);
          if (e == null) {
            rejected.add(id);
            continue;
          }
          if (GroupTopic.start(e)) {
            counted.computeIfAbsent(id.partition(), p -> new ArrayList<>()).add(e.persisted());
          }
          applied++;
        }
        if (!counted.isEmpty()) {
          state.write(entries(group, g, counted));
        }
      } finally {
        g.lock.unlock();
      }
    }
    if (applied > 0) {
      state.awaitForce();
    }
    return new BatchResult(applied, rejected);
  }

  /** See {@link io.sluice.spi.Storage#ack}. */
  public BatchResult ack(String group, List<Ack> acks) {
    int applied = 0;
    List<DeliveryId> rejected = new ArrayList<>();
    for (Map.Entry<String, List<Ack>> t : byTopic(acks, Ack::delivery).entrySet()) {
      GroupTopic g = state.existing(group, t.getKey());
      if (g == null) {
        t.getValue().forEach(a -> rejected.add(a.delivery()));
        continue;
      }
      Map<Integer, List<EntryState>> done = new HashMap<>();
      List<StateRecord> processed = new ArrayList<>();
      g.lock.lock();
      try {
        Instant now = state.now();
        for (Ack a : t.getValue()) {
          Entry e = g.current(a.delivery(), now);
          if (e == null) {
            rejected.add(a.delivery());
            continue;
          }
          done.computeIfAbsent(a.delivery().partition(), k -> new ArrayList<>())
              .add(g.complete(a.delivery(), e));
          if (a.processedKey() != null) {
            g.processed.put(a.processedKey(), now);
            processed.add(new StateRecord.Processed(group, g.topic, a.processedKey(), now));
          }
          applied++;
        }
        List<StateRecord> records = entries(group, g, done);
        records.addAll(processed); // after the acks they belong to
        if (!records.isEmpty()) {
          state.write(records);
        }
      } finally {
        g.lock.unlock();
      }
    }
    if (applied > 0) {
      state.awaitForce();
    }
    return new BatchResult(applied, rejected);
  }

  /** Whether {@code id} names the current, unexpired grant. */
  public boolean isCurrent(String group, DeliveryId id) {
    GroupTopic g = state.existing(group, id.topic());
    if (g == null) {
      return false;
    }
    g.lock.lock();
    try {
      return g.current(id, state.now()) != null;
    } finally {
      g.lock.unlock();
    }
  }

  /**
   * See {@link io.sluice.spi.Storage#release}: visible again after the delay on the store clock.
   */
  public void release(ReleaseRequest request) {
    DeliveryId id = request.delivery();
    GroupTopic g = state.existing(request.group(), id.topic());
    boolean released = false;
    if (g != null) {
      g.lock.lock();
      try {
        Instant now = state.now();
        Entry e = g.current(id, now);
        if (e != null) {
          Instant next = GroupTopic.plus(now, request.delay());
          state.write(List.of(g.release(id, e, next, request.countAttempt())));
          released = true;
        }
      } finally {
        g.lock.unlock();
      }
    }
    if (!released) {
      throw new StaleDeliveryException(id, "the lease is expired, re-granted or settled");
    }
    state.awaitForce();
  }

  /** See {@link io.sluice.spi.Storage#extendLeases}. */
  public BatchResult extend(String group, List<DeliveryId> ids, Duration extension) {
    int applied = 0;
    List<DeliveryId> rejected = new ArrayList<>();
    for (DeliveryId id : ids) {
      GroupTopic g = state.existing(group, id.topic());
      if (g == null) {
        rejected.add(id);
        continue;
      }
      g.lock.lock();
      try {
        Instant now = state.now();
        Entry e = g.current(id, now);
        if (e == null) {
          rejected.add(id);
        } else {
          e.grantedAt = now;
          e.leaseExpiry = GroupTopic.plus(now, extension);
          applied++;
        }
      } finally {
        g.lock.unlock();
      }
    }
    return new BatchResult(applied, rejected);
  }
}
