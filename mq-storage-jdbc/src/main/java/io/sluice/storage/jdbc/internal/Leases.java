package io.sluice.storage.jdbc.internal;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.ReleaseRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Changes leases without completing them: marks them started (an attempt counted), releases them
 * and extends them. Every statement is fenced like an ack: it matches the delivery's token and an
 * unexpired lease ({@code leased} and {@code visible_at > now}), so a stale id changes nothing.
 *
 * <p>A run row (many offsets of one grant, see {@link DeliveryRows}) is marked started with a bit
 * per offset; a release or extension first splits it into single-message rows, since each delivery
 * then goes its own way.
 *
 * <p><b>Attempts.</b> {@code attempts} counts handler runs: {@link #markStarted} adds one per lease
 * (the {@code started} flag makes a second mark a no-op; every grant clears it), a release of a
 * failed attempt adds one if the lease was not marked, and a release of a delivery handed back
 * unprocessed takes back the one its lease counted.
 */
public final class Leases {
  private final Statements sql;
  private final Topics topics;
  private final DeliveryRows deliveryRows;
  private final boolean arrays;

  /** Leases changed with these statements; {@code arrays}: many lookups in one statement. */
  public Leases(Statements sql, Topics topics, boolean arrays) {
    this.sql = sql;
    this.topics = topics;
    this.deliveryRows = new DeliveryRows(sql, arrays);
    this.arrays = arrays;
  }

  /**
   * Counts an attempt for each current lease among {@code ids}, once per lease; lists the others as
   * rejected. An id repeated in the call is applied (or rejected) each time it appears. Per topic:
   * one lookup of the rows holding the ids ({@link DeliveryRows}), then one batch that marks the
   * single-message rows and one that sets the started bits of runs. A delivery whose offset a run
   * already has acked is rejected. {@code alone}: the call is all the handle's transaction holds,
   * so on PostgreSQL a mark of one topic commits it in the same round trip ({@link
   * DeliveryRows.Framing}).
   */
  public BatchResult markStarted(
      Handle h, String group, List<DeliveryId> ids, Instant now, boolean alone) {
    Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      byTopic.computeIfAbsent(ids.get(i).topic(), t -> new ArrayList<>()).add(i);
    }
    boolean[] applied = new boolean[ids.size()];
    DeliveryRows.Framing framing = deliveryRows.framing(h, alone, byTopic.size() == 1);
    for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
      Optional<TopicRow> row = topics.findCached(h, e.getKey());
      if (row.isPresent()) {
        mark(h, framing, group, row.get().id(), ids, e.getValue(), now, applied);
      }
    }
    List<DeliveryId> rejected = new ArrayList<>();
    int count = 0;
    for (int i = 0; i < applied.length; i++) {
      if (applied[i]) {
        count++;
      } else {
        rejected.add(ids.get(i));
      }
    }
    return new BatchResult(count, rejected);
  }

  private void mark(
      Handle h,
      DeliveryRows.Framing framing,
      String group,
      int topicId,
      List<DeliveryId> all,
      List<Integer> indexes,
      Instant now,
      boolean[] applied) {
    List<DeliveryId> ids = new ArrayList<>(indexes.size());
    indexes.forEach(i -> ids.add(all.get(i)));
    boolean[] done =
        DeliveryRows.retryRejected(
            markOnce(h, framing, group, topicId, ids, now),
            ids,
            rest -> markOnce(h, framing, group, topicId, rest, now));
    for (int k = 0; k < done.length; k++) {
      applied[indexes.get(k)] = done[k];
    }
  }

  private boolean[] markOnce(
      Handle h,
      DeliveryRows.Framing framing,
      String group,
      int topicId,
      List<DeliveryId> ids,
      Instant now) {
    boolean[] applied = new boolean[ids.size()];
    if (arrays) {
      return deliveryRows.settleAll(
          h, "delivery_start_many", framing, group, topicId, ids, now, false);
    }
    DeliveryRows.Row[] rows = deliveryRows.locate(h, group, topicId, ids, now);
    Set<DeliveryRows.Row> singles = new HashSet<>();
    Map<DeliveryRows.Row, Set<Integer>> runs = new LinkedHashMap<>();
    for (int k = 0; k < rows.length; k++) {
      DeliveryRows.Row r = rows[k];
      if (r == null) {
        continue;
      }
      if (!r.isRun()) {
        singles.add(r);
        applied[k] = true;
      } else if (!Bits.isSet(r.acked(), r.pos(ids.get(k)))) {
        runs.computeIfAbsent(r, x -> new HashSet<>()).add(r.pos(ids.get(k)));
        applied[k] = true;
      }
    }
    PreparedBatch single = h.prepareBatch(sql.get("delivery_mark_started"));
    singles.forEach(r -> DeliveryRows.addRow(single, group, topicId, r));
    PreparedBatch run = h.prepareBatch(sql.get("run_set_started"));
    for (Map.Entry<DeliveryRows.Row, Set<Integer>> e : runs.entrySet()) {
      DeliveryRows.Row r = e.getKey();
      String bits = Bits.with(r.startedBits(), r.span(), e.getValue());
      DeliveryRows.addRun(run, bits, group, topicId, r);
    }
    DeliveryRows.executeNonEmpty(single, run);
    return applied;
  }

  /**
   * Ends the current lease without completing it: visible again at {@code now + delay} on the store
   * clock; the attempt counted as {@link ReleaseRequest#countAttempt()} says.
   *
   * @throws StaleDeliveryException if the lease is not current
   */
  public void release(Handle h, ReleaseRequest r, Instant now) {
    DeliveryId id = r.delivery();
    Optional<TopicRow> row = topics.find(h, id.topic());
    row.ifPresent(t -> deliveryRows.explodeHolding(h, r.group(), t.id(), List.of(id), now));
    int count =
        row.isEmpty()
            ? 0
            : bindKey(h.createUpdate(sql.get("delivery_release")), r.group(), row.get(), id)
                .bind("visibleAt", Database.ts(Database.plus(now, r.delay())))
                .bind("ifStarted", r.countAttempt() ? 0 : -1)
                .bind("ifNotStarted", r.countAttempt() ? 1 : 0)
                .bind("now", Database.ts(now))
                .execute();
    if (count == 0) {
      throw new StaleDeliveryException(id, "lease expired, re-granted or already settled");
    }
  }

  /** Extends the current leases among {@code ids} to now plus {@code extension}. */
  public BatchResult extend(
      Handle h, String group, List<DeliveryId> ids, Duration extension, Instant now) {
    Instant until = Database.plus(now, extension);
    List<DeliveryId> rejected = new ArrayList<>();
    int applied = 0;
    Map<String, Optional<TopicRow>> rows = new HashMap<>();
    Map<String, List<DeliveryId>> byTopic = new LinkedHashMap<>();
    ids.forEach(id -> byTopic.computeIfAbsent(id.topic(), t -> new ArrayList<>()).add(id));
    byTopic.forEach(
        (topic, list) ->
            rows.computeIfAbsent(topic, t -> topics.findCached(h, t))
                .ifPresent(t -> deliveryRows.explodeHolding(h, group, t.id(), list, now)));
    for (DeliveryId id : ids) {
      Optional<TopicRow> row = rows.get(id.topic());
      int count =
          row.isEmpty()
              ? 0
              : bindKey(h.createUpdate(sql.get("delivery_extend")), group, row.get(), id)
                  .bind("until", Database.ts(until))
                  .bind("now", Database.ts(now))
                  .execute();
      if (count == 0) {
        rejected.add(id);
      } else {
        applied++;
      }
    }
    return new BatchResult(applied, rejected);
  }

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindKey(
      S statement, String group, TopicRow row, DeliveryId id) {
    return statement
        .bind("group", group)
        .bind("topicId", row.id())
        .bind("partition", id.partition())
        .bind("offset", id.offset())
        .bind("token", id.token());
  }
}
