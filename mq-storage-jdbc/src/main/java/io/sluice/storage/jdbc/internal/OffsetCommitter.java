package io.sluice.storage.jdbc.internal;

import io.sluice.api.Position;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.GroupPartition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Settles deliveries by ack and reports group progress (leases are released, extended and marked
 * started by {@link Leases}).
 *
 * <p>An ack sets the delivery's acked bit in its run row, or deletes a single-message row (or a run
 * whose bits are all set), fenced by its token and lease expiry. Nothing else is written: the
 * committed offset is <i>derived</i> as the lowest offset that a delivery row still holds unacked,
 * or the cursor when there is none. So it advances over every contiguous done message by itself,
 * never passes a message that is not done, and a batch of acks in any order costs one lookup and
 * one write per row it touches, not per message.
 *
 * <p><b>Lag</b> follows from the same rows: every offset below the cursor was handed out, and those
 * in {@code [committed, cursor)} that no row holds unacked are done, so the messages not yet done
 * are {@code end - cursor} plus the offsets the rows still hold.
 */
public final class OffsetCommitter {
  private final Statements sql;
  private final Topics topics;
  private final Cursors cursors;
  private final DeliveryRows deliveryRows;
  private final boolean arrays;

  /** A committer using these statements; {@code arrays}: many lookups in one statement. */
  public OffsetCommitter(Statements sql, Topics topics, Cursors cursors, boolean arrays) {
    this.deliveryRows = new DeliveryRows(sql, arrays);
    this.arrays = arrays;
    this.sql = sql;
    this.topics = topics;
    this.cursors = cursors;
  }

  /**
   * Applies the valid acks and lists the rejected ones, in the handle's transaction. {@code alone}:
   * the call is all that transaction holds, so on PostgreSQL acks of one topic without processed
   * keys commit it in the same round trip ({@link DeliveryRows.Framing}).
   */
  public BatchResult ack(Handle h, String group, List<Ack> acks, Instant now, boolean alone) {
    Map<String, Optional<TopicRow>> rows = new HashMap<>();
    Map<Integer, List<Ack>> byTopic = new java.util.TreeMap<>();
    List<DeliveryId> rejected = new ArrayList<>();
    for (Ack ack : acks) {
      Optional<TopicRow> row =
          rows.computeIfAbsent(ack.delivery().topic(), t -> topics.findCached(h, t));
      if (row.isEmpty()) {
        rejected.add(ack.delivery());
      } else {
        byTopic.computeIfAbsent(row.get().id(), id -> new ArrayList<>()).add(ack);
      }
    }
    List<Ack> applied = new ArrayList<>();
    boolean keys = acks.stream().anyMatch(a -> a.processedKey() != null);
    DeliveryRows.Framing framing = deliveryRows.framing(h, alone, byTopic.size() == 1 && !keys);
    for (Map.Entry<Integer, List<Ack>> e : byTopic.entrySet()) {
      boolean[] done = settle(h, framing, group, e.getKey(), e.getValue(), now);
      for (int i = 0; i < done.length; i++) {
        if (done[i]) {
          applied.add(e.getValue().get(i));
        } else {
          rejected.add(e.getValue().get(i).delivery());
        }
      }
    }
    recordProcessed(h, group, rows, applied, now);
    return new BatchResult(applied.size(), rejected);
  }

  /**
   * Settles the acks of one topic: locates and locks the rows holding them ({@link DeliveryRows}),
   * deletes single-message rows and runs whose every offset is now acked, and sets the acked bits
   * of the other runs. Returns, per ack, whether it applied; a repeated id applies once (the
   * first).
   */
  private boolean[] settle(
      Handle h,
      DeliveryRows.Framing framing,
      String group,
      int topicId,
      List<Ack> acks,
      Instant now) {
    boolean[] done = settleOnce(h, framing, group, topicId, acks, now);
    return DeliveryRows.retryRejected(
        done, acks, rest -> settleOnce(h, framing, group, topicId, rest, now));
  }

  private boolean[] settleOnce(
      Handle h,
      DeliveryRows.Framing framing,
      String group,
      int topicId,
      List<Ack> acks,
      Instant now) {
    List<DeliveryId> ids = new ArrayList<>(acks.size());
    acks.forEach(a -> ids.add(a.delivery()));
    if (arrays) {
      return deliveryRows.settleAll(
          h, "delivery_ack_many", framing, group, topicId, ids, now, true);
    }
    DeliveryRows.Row[] rows = deliveryRows.locate(h, group, topicId, ids, now);
    boolean[] done = new boolean[acks.size()];
    java.util.Set<DeliveryRows.Row> singles = new java.util.HashSet<>();
    Map<DeliveryRows.Row, java.util.Set<Integer>> runs = new java.util.LinkedHashMap<>();
    for (int i = 0; i < done.length; i++) {
      DeliveryRows.Row r = rows[i];
      if (r == null) {
        continue;
      }
      if (!r.isRun()) {
        done[i] = singles.add(r);
      } else {
        int pos = r.pos(ids.get(i));
        done[i] =
            !Bits.isSet(r.acked(), pos)
                && runs.computeIfAbsent(r, k -> new java.util.HashSet<>()).add(pos);
      }
    }
    PreparedBatch delete = h.prepareBatch(sql.get("delivery_delete_one"));
    PreparedBatch update = h.prepareBatch(sql.get("run_set_acked"));
    singles.forEach(r -> DeliveryRows.addRow(delete, group, topicId, r));
    for (Map.Entry<DeliveryRows.Row, java.util.Set<Integer>> e : runs.entrySet()) {
      DeliveryRows.Row r = e.getKey();
      String bits = Bits.with(r.acked(), r.span(), e.getValue());
      if (Bits.all(bits)) {
        DeliveryRows.addRow(delete, group, topicId, r);
      } else {
        DeliveryRows.addRun(update, bits, group, topicId, r);
      }
    }
    DeliveryRows.executeNonEmpty(delete, update);
    return done;
  }

  private void recordProcessed(
      Handle h,
      String group,
      Map<String, Optional<TopicRow>> rows,
      List<Ack> applied,
      Instant now) {
    PreparedBatch processed = null;
    for (Ack ack : applied) {
      if (ack.processedKey() == null) {
        continue;
      }
      if (processed == null) {
        processed = h.prepareBatch(sql.get("processed_upsert"));
      }
      processed
          .bind("group", group)
          .bind("topicId", rows.get(ack.delivery().topic()).orElseThrow().id())
          .bind("key", ack.processedKey())
          .bind("now", Database.ts(now))
          .add();
    }
    if (processed != null) {
      processed.execute();
    }
  }

  /** The group's progress per partition. */
  public List<GroupPartition> groupState(Handle h, String group, TopicRow row) {
    return h.createQuery(sql.get("group_state"))
        .bind("group", group)
        .bind("topicId", row.id())
        .map(
            (rs, ctx) -> {
              int partition = rs.getInt("partition_no");
              long end = rs.getLong("end_offset");
              long first = rs.getLong("first_offset");
              long start = rs.wasNull() ? end : first;
              long cursor = rs.getLong("cursor_offset");
              if (rs.wasNull()) {
                return new GroupPartition(partition, start, end, 0);
              }
              long open = rs.getLong("open_offset");
              long committed = rs.wasNull() ? cursor : open;
              long lag = Math.max(0, end - cursor + rs.getLong("open_rows"));
              return new GroupPartition(partition, committed, end, (int) (cursor - committed), lag);
            })
        .list();
  }

  /** Moves the group's position in one partition and forgets its per-message state there. */
  public long seek(Handle h, String group, TopicRow row, int partition, Position position) {
    Topics.checkPartition(row, partition);
    cursors.ensure(h, group, row, Position.EARLIEST);
    h.createQuery(sql.get("cursor_lock"))
        .bind("group", group)
        .bind("topicId", row.id())
        .bind("partition", partition)
        .mapTo(Long.class)
        .one();
    long target = cursors.resolve(h, row, partition, position, true);
    h.createUpdate(sql.get("delivery_delete_partition"))
        .bind("group", group)
        .bind("topicId", row.id())
        .bind("partition", partition)
        .execute();
    h.createUpdate(sql.get("cursor_advance"))
        .bind("next", target)
        .bind("group", group)
        .bind("topicId", row.id())
        .bind("partition", partition)
        .execute();
    return target;
  }

  /** Whether the group completed this processed key within the window. */
  public boolean isProcessed(Handle h, String group, TopicRow row, String key, Instant now) {
    return h.createQuery(sql.get("processed_find"))
            .bind("group", group)
            .bind("topicId", row.id())
            .bind("key", key)
            .bind("cutoff", Database.ts(now.minus(row.config().dedupeWindow())))
            .mapTo(Long.class)
            .one()
        > 0;
  }

  /** Groups that have a cursor in the topic. */
  public List<String> groups(Handle h, TopicRow row) {
    return h.createQuery(sql.get("group_list"))
        .bind("topicId", row.id())
        .mapTo(String.class)
        .list();
  }
}
