package io.sluice.storage.file.internal.state;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.ReleaseRequest;
import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a lease holder does with its lease: mark it started, ack, release or extend it. Each names
 * the lease by its delivery id and applies only to the current, unexpired grant (fencing); each
 * change is written to the state journal under its group's lock before the call returns (ranges: an
 * ack call of consecutive messages is one small record), and under {@code SYNC} forced too
 * (extensions are not journaled: leases do not survive a restart).
 */
public final class Settlements {
  private final GroupStateStore state;

  Settlements(GroupStateStore state) {
    this.state = state;
  }

  /** The ids grouped by topic, in first-seen order (one group, no map, in the usual case). */
  private static Map<String, List<DeliveryId>> idsByTopic(List<DeliveryId> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    String first = ids.get(0).topic();
    for (int i = 1; i < ids.size(); i++) {
      if (!ids.get(i).topic().equals(first)) {
        Map<String, List<DeliveryId>> out = new LinkedHashMap<>();
        for (DeliveryId id : ids) {
          out.computeIfAbsent(id.topic(), t -> new ArrayList<>()).add(id);
        }
        return out;
      }
    }
    return Map.of(first, ids);
  }

  /**
   * The acks grouped by topic, in first-seen order (one group, no map, in the usual case). Written
   * apart from {@link #idsByTopic} rather than through a shared function argument: each loop keeps
   * a profile of its own, so the JIT does not deoptimize them when both kinds of call run.
   */
  private static Map<String, List<Ack>> acksByTopic(List<Ack> acks) {
    if (acks.isEmpty()) {
      return Map.of();
    }
    String first = acks.get(0).delivery().topic();
    for (int i = 1; i < acks.size(); i++) {
      if (!acks.get(i).delivery().topic().equals(first)) {
        Map<String, List<Ack>> out = new LinkedHashMap<>();
        for (Ack a : acks) {
          out.computeIfAbsent(a.delivery().topic(), t -> new ArrayList<>()).add(a);
        }
        return out;
      }
    }
    return Map.of(first, acks);
  }

  /**
   * Finds the current grant a delivery id names, for one call over many ids: consecutive ids of a
   * claim usually fall in the same partition and lease run, so the last cursor and run found are
   * tried first (a run holds an offset only as a live member with its token, so a run found before
   * answers exactly as the lookup would; an emptied run holds nothing and is looked up again).
   */
  private static final class Finder {
    private final GroupTopic g;
    private final long now;
    private int partition = -1;
    private PartitionCursor cursor;
    private LeaseRun run;
    Entry entry;

    Finder(GroupTopic g, long now) {
      this.g = g;
      this.now = now;
    }

    /** The cursor of {@code id}'s partition, or null. */
    PartitionCursor cursor(DeliveryId id) {
      if (id.partition() != partition) {
        partition = id.partition();
        cursor = g.cursors.get(partition);
        run = null;
      }
      return cursor;
    }

    /**
     * Looks {@code id} up: sets {@link #entry} to its entry leased on its own and returns null, or
     * returns its run (entry null), or returns null with entry null when it is not current.
     */
    LeaseRun find(DeliveryId id) {
      PartitionCursor c = cursor(id);
      entry = null;
      if (c == null) {
        return null;
      }
      entry = c.leasedEntry(id.offset(), id.token(), now);
      if (entry != null) {
        return null;
      }
      LeaseRun r = run;
      if (r != null && id.offset() >= c.committed && r.holds(id.offset(), id.token(), now)) {
        return r;
      }
      r = c.leasedRun(id.offset(), id.token(), now);
      if (r != null) {
        run = r;
      }
      return r;
    }
  }

  /**
   * See {@link io.sluice.spi.Storage#markStarted}: counts one attempt per grant, journaled (and
   * under {@code SYNC} forced) before it returns, as durable as an ack.
   */
  public BatchResult markStarted(String group, List<DeliveryId> ids) {
    return settle(group, idsByTopic(ids), id -> id, Settlements::startAll, false);
  }

  /**
   * See {@link io.sluice.spi.Storage#ack}. The acks of one partition are one record of ranges, with
   * their processed keys in it; the keys go into the group's processed-key index at that record's
   * journal position once it is written.
   */
  public BatchResult ack(String group, List<Ack> acks) {
    return settle(group, acksByTopic(acks), Ack::delivery, Settlements::completeAll, true);
  }

  /** What a markStarted or ack call does to one topic's items under its group's lock. */
  private interface TopicStep<T> {
    /** Applies each item that names a current grant, noting changes; returns how many did. */
    int apply(Finder find, List<T> items, Changes changes, List<DeliveryId> rejected);
  }

  /**
   * The frame of a markStarted or ack call: per topic, under its group's lock, the step over its
   * items, then one journal write of the changes (and, for acks, their processed keys indexed at
   * its position); then one wait for the force when anything applied. The loops over the items are
   * methods of their own ({@link #startAll}, {@link #completeAll}): the JIT compiles each small,
   * instead of compiling the journal write and the lock into one large on-stack replacement, which
   * it had to redo (about a second of compiler time on two cores) whenever a branch seen for the
   * first time deoptimized it.
   */
  private <T> BatchResult settle(
      String group,
      Map<String, List<T>> byTopic,
      Function<T, DeliveryId> idOf,
      TopicStep<T> step,
      boolean processedKeys) {
    int applied = 0;
    List<DeliveryId> rejected = new ArrayList<>();
    for (Map.Entry<String, List<T>> t : byTopic.entrySet()) {
      GroupTopic g = state.existing(group, t.getKey());
      if (g == null) {
        t.getValue().forEach(item -> rejected.add(idOf.apply(item)));
        continue;
      }
      Changes changes = new Changes(g);
      g.lock.lock();
      try {
        applied += step.apply(new Finder(g, state.nowMicros()), t.getValue(), changes, rejected);
        if (!changes.isEmpty()) {
          List<StateRecord> records = changes.records();
          long position = state.write(records);
          if (processedKeys) {
            state.keys().processed(g, records, position);
          }
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

  /** Marks each current grant of {@code ids} started; the others go to {@code rejected}. */
  private static int startAll(
      Finder find, List<DeliveryId> ids, Changes changes, List<DeliveryId> rejected) {
    int applied = 0;
    for (DeliveryId id : ids) {
      LeaseRun r = find.find(id);
      Entry e = find.entry;
      if (e == null && r == null) {
        rejected.add(id);
        continue;
      }
      if (e != null && !e.started) {
        e.started = true;
        e.attempts++;
        changes.entry(id.partition(), e.persisted());
      } else if (r != null && r.start(id.offset())) {
        changes.started(id.partition(), r, id.offset());
      }
      applied++;
    }
    return applied;
  }

  /** Marks each current grant of {@code acks} done; the others go to {@code rejected}. */
  private static int completeAll(
      Finder find, List<Ack> acks, Changes changes, List<DeliveryId> rejected) {
    int applied = 0;
    for (Ack a : acks) {
      DeliveryId id = a.delivery();
      if (!complete(find, id)) {
        rejected.add(id);
        continue;
      }
      changes.done(id.partition(), id.offset(), a.processedKey(), find.now);
      applied++;
    }
    return applied;
  }

  /** Marks the current grant named by {@code id} done; false if it is not current. */
  private static boolean complete(Finder find, DeliveryId id) {
    LeaseRun r = find.find(id);
    PartitionCursor c = find.cursor(id);
    Entry e = find.entry;
    if (e != null) {
      c.entries.remove(id.offset());
      c.complete(id.offset(), e.key);
      return true;
    }
    if (r == null) {
      return false;
    }
    String key = r.keys[(int) (id.offset() - r.first)];
    c.removeMember(r, id.offset());
    c.complete(id.offset(), key);
    return true;
  }

  /** Whether {@code id} names the current, unexpired grant. */
  public boolean isCurrent(String group, DeliveryId id) {
    GroupTopic g = state.existing(group, id.topic());
    if (g == null) {
      return false;
    }
    g.lock.lock();
    try {
      return individually(g, id, state.nowMicros()) != null;
    } finally {
      g.lock.unlock();
    }
  }

  /**
   * The current grant named by {@code id} as an entry leased on its own (a run member is split off
   * its run first), or null.
   */
  private static Entry individually(GroupTopic g, DeliveryId id, long now) {
    PartitionCursor c = g.cursors.get(id.partition());
    if (c == null) {
      return null;
    }
    Entry e = c.leasedEntry(id.offset(), id.token(), now);
    if (e != null) {
      return e;
    }
    LeaseRun r = c.leasedRun(id.offset(), id.token(), now);
    if (r == null) {
      return null;
    }
    e = r.split(id.offset());
    c.removeMember(r, id.offset());
    c.entries.put(id.offset(), e);
    return e;
  }

  /**
   * See {@link io.sluice.spi.Storage#release}: visible again after the delay on the store clock. A
   * failed attempt ({@code countAttempt}) counts unless the grant was started; a delivery handed
   * back unprocessed takes back the attempt its start counted.
   */
  public void release(ReleaseRequest request) {
    DeliveryId id = request.delivery();
    GroupTopic g = state.existing(request.group(), id.topic());
    boolean released = false;
    if (g != null) {
      g.lock.lock();
      try {
        long now = state.nowMicros();
        Entry e = individually(g, id, now);
        if (e != null) {
          if (request.countAttempt() && !e.started) {
            e.attempts++;
          } else if (!request.countAttempt() && e.started) {
            e.attempts = Math.max(0, e.attempts - 1);
          }
          e.started = false;
          e.state = Entry.RETRY;
          e.nextVisible = Micros.plus(now, request.delay());
          PartitionCursor c = g.cursors.get(id.partition());
          c.wake(e.nextVisible);
          state.write(
              List.of(
                  new StateRecord.Entries(g.group, g.topic, id.partition(), List.of(persist(e)))));
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

  /** A released entry's state: a zero delay is stored as "no retry time" (visible now). */
  private static EntryState persist(Entry e) {
    return new EntryState(e.offset, e.attempts, e.firstDeliveredAt, e.nextVisible);
  }

  /**
   * See {@link io.sluice.spi.Storage#extendLeases}. A run whose live members are all extended by
   * the call keeps one lease; members extended on their own are split off into entries.
   */
  public BatchResult extend(String group, List<DeliveryId> ids, Duration extension) {
    int applied = 0;
    List<DeliveryId> rejected = new ArrayList<>();
    for (Map.Entry<String, List<DeliveryId>> t : idsByTopic(ids).entrySet()) {
      GroupTopic g = state.existing(group, t.getKey());
      if (g == null) {
        rejected.addAll(t.getValue());
        continue;
      }
      g.lock.lock();
      try {
        long now = state.nowMicros();
        long until = Micros.plus(now, extension);
        Map<LeaseRun, Map<Long, DeliveryId>> members = new IdentityHashMap<>();
        for (DeliveryId id : t.getValue()) {
          PartitionCursor c = g.cursors.get(id.partition());
          Entry e = c == null ? null : c.leasedEntry(id.offset(), id.token(), now);
          LeaseRun r = c == null || e != null ? null : c.leasedRun(id.offset(), id.token(), now);
          if (e != null) {
            e.grantedAt = now;
            e.leaseExpiry = until;
          } else if (r != null) {
            members.computeIfAbsent(r, k -> new LinkedHashMap<>()).put(id.offset(), id);
          } else {
            rejected.add(id);
            continue;
          }
          applied++;
        }
        members.forEach((r, byOffset) -> extendRun(g, r, byOffset.values(), now, until));
      } finally {
        g.lock.unlock();
      }
    }
    return new BatchResult(applied, rejected);
  }

  private static void extendRun(
      GroupTopic g, LeaseRun r, java.util.Collection<DeliveryId> ids, long now, long until) {
    if (ids.size() == r.liveCount()) {
      r.extend(now, until);
      return;
    }
    for (DeliveryId id : ids) {
      Entry e = individually(g, id, now);
      e.grantedAt = now;
      e.leaseExpiry = until;
    }
  }
}
