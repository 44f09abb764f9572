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
 * <p>An ack deletes the delivery row, fenced by its token and lease expiry. Nothing else is
 * written: the committed offset is <i>derived</i> as the lowest offset that still has a delivery
 * row in the partition, or the cursor when none does. So it advances over every contiguous done
 * message by itself, never passes a message that is not done, and acks in any order cost one
 * indexed delete each (batched in one statement round trip per call).
 *
 * <p><b>Lag</b> follows from the same rows: every offset below the cursor was handed out, and those
 * in {@code [committed, cursor)} without a row are done out of order, so the messages not yet done
 * are {@code end - cursor} plus the rows left.
 */
public final class OffsetCommitter {
  private final Statements sql;
  private final Topics topics;
  private final Cursors cursors;
  private final boolean arrayAck;

  /** A committer using these statements; {@code arrayAck} for one-statement acks (PostgreSQL). */
  public OffsetCommitter(Statements sql, Topics topics, Cursors cursors, boolean arrayAck) {
    this.arrayAck = arrayAck;
    this.sql = sql;
    this.topics = topics;
    this.cursors = cursors;
  }

  /** Applies the valid acks and lists the rejected ones, in the handle's transaction. */
  public BatchResult ack(Handle h, String group, List<Ack> acks, Instant now) {
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
    for (Map.Entry<Integer, List<Ack>> e : byTopic.entrySet()) {
      boolean[] done =
          arrayAck
              ? deleteAll(h, group, e.getKey(), e.getValue(), now)
              : deleteEach(h, group, e.getKey(), e.getValue(), now);
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

  /** One fenced DELETE per ack, sent as one JDBC batch. */
  private boolean[] deleteEach(Handle h, String group, int topicId, List<Ack> acks, Instant now) {
    PreparedBatch delete = h.prepareBatch(sql.get("delivery_ack"));
    for (Ack ack : acks) {
      DeliveryId id = ack.delivery();
      delete
          .bind("group", group)
          .bind("topicId", topicId)
          .bind("partition", id.partition())
          .bind("offset", id.offset())
          .bind("token", id.token())
          .bind("now", Database.ts(now))
          .add();
    }
    int[] counts = delete.execute();
    boolean[] done = new boolean[acks.size()];
    for (int i = 0; i < counts.length; i++) {
      done[i] = counts[i] != 0;
    }
    return done;
  }

  /**
   * One fenced DELETE for all acks of a topic, with arrays (PostgreSQL). Rows are matched by
   * membership of partition, offset and token in the arrays; since a token names exactly one grant
   * of one message, that deletes exactly the acked grants. The returned triples tell which acks
   * applied.
   */
  private boolean[] deleteAll(Handle h, String group, int topicId, List<Ack> acks, Instant now) {
    int n = acks.size();
    Integer[] partitions = new Integer[n];
    Long[] offsets = new Long[n];
    Long[] tokens = new Long[n];
    for (int i = 0; i < n; i++) {
      DeliveryId id = acks.get(i).delivery();
      partitions[i] = id.partition();
      offsets[i] = id.offset();
      tokens[i] = id.token();
    }
    java.util.Set<String> deleted = new java.util.HashSet<>();
    h.createQuery(sql.get("delivery_ack_many"))
        .bindArray("partitions", Integer.class, (Object[]) partitions)
        .bindArray("offsets", Long.class, (Object[]) offsets)
        .bindArray("tokens", Long.class, (Object[]) tokens)
        .bind("group", group)
        .bind("topicId", topicId)
        .bind("now", Database.ts(now))
        .map(
            (rs, ctx) ->
                rs.getInt("partition_no")
                    + "@"
                    + rs.getLong("msg_offset")
                    + "#"
                    + rs.getLong("token"))
        .forEach(deleted::add);
    boolean[] done = new boolean[n];
    for (int i = 0; i < n; i++) {
      DeliveryId id = acks.get(i).delivery();
      // A repeated id in one call is applied once: the first occurrence takes it.
      done[i] = deleted.remove(id.partition() + "@" + id.offset() + "#" + id.token());
    }
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
