package io.sluice.storage.jdbc.internal;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Claims messages for a group in one transaction, in two steps, both with {@code FOR UPDATE SKIP
 * LOCKED} so that concurrent members never wait for each other and never get the same message:
 *
 * <ol>
 *   <li><b>Ready rows</b> of {@code mq_deliveries}: expired leases and retries whose delay passed
 *       (index {@code (group_name, topic_id, visible_at)}). Each is re-granted with a new token and
 *       one more attempt.
 *   <li><b>New messages</b>: one partition at a time, the group's cursor row is locked (skipping
 *       partitions another member is claiming from), the next messages at or after the cursor are
 *       read, a delivery row is inserted for each, and the cursor moves past them.
 * </ol>
 *
 * Because appends commit in offset order per partition (see {@link Appender}), the messages a claim
 * can see beyond the cursor are always a dense prefix: the cursor never passes a message that
 * commits later.
 */
public final class Claimer {
  private final Statements sql;
  private final Topics topics;
  private final Cursors cursors;
  private final AtomicInteger rotation = new AtomicInteger();

  /** A claimer using these statements. */
  public Claimer(Statements sql, Topics topics, Cursors cursors) {
    this.sql = sql;
    this.topics = topics;
    this.cursors = cursors;
  }

  /**
   * Claims new messages for an unordered group with one auto-commit statement per partition
   * (PostgreSQL). Returns null, having changed nothing, when the group has deliveries due again:
   * then run {@link #claim} in a transaction.
   */
  public List<Lease> claimNewFast(Handle h, ClaimRequest r, Instant now) {
    TopicRow row = topics.requireCached(h, r.topic());
    cursors.ensure(h, r.group(), row, r.startPosition());
    int partitions = row.config().partitions();
    int start = Math.floorMod(rotation.getAndIncrement(), partitions);
    Instant until = now.plus(r.lease());
    List<Lease> leases = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    while (leases.size() < r.maxMessages() && taken.size() < partitions) {
      List<FastRow> rows =
          h.createQuery(sql.get("claim_new_unordered"))
              .bind("group", r.group())
              .bind("topicId", row.id())
              .bindArray("taken", Integer.class, taken)
              .bind("rotation", partitions - start)
              .bind("partitions", partitions)
              .bind("max", r.maxMessages() - leases.size())
              .bind("now", Database.ts(now))
              .bind("until", Database.ts(until))
              .map((rs, ctx) -> FastRow.read(rs, row.name()))
              .list();
      if (rows.get(0).dueWaiting()) {
        return leases.isEmpty() ? null : sorted(leases);
      }
      if (rows.get(0).message() == null) {
        break;
      }
      for (FastRow o : rows) {
        StoredMessage m = o.message();
        if (o.due()) {
          DeliveryId id = new DeliveryId(m.topic(), m.partition(), m.offset(), o.token());
          leases.add(new Lease(id, m, 1, until, now));
        }
      }
      taken.add(rows.get(0).message().partition());
    }
    return sorted(leases);
  }

  /** One row of {@code claim_new_unordered}: a message (or none) and the due-waiting flag. */
  private record FastRow(StoredMessage message, boolean due, long token, boolean dueWaiting) {
    static FastRow read(java.sql.ResultSet rs, String topic) throws java.sql.SQLException {
      boolean waiting = rs.getBoolean("due_waiting");
      int partition = rs.getInt("partition_no");
      if (rs.wasNull()) {
        return new FastRow(null, false, 0, waiting);
      }
      return new FastRow(
          MessageRows.read(rs, topic, partition),
          rs.getBoolean("due"),
          rs.getLong("token"),
          waiting);
    }
  }

  private static List<Lease> sorted(List<Lease> leases) {
    leases.sort(
        Comparator.comparingInt((Lease l) -> l.id().partition())
            .thenComparingLong(l -> l.id().offset()));
    return leases;
  }

  /** Runs one claim in the handle's transaction. */
  public List<Lease> claim(Handle h, ClaimRequest r, Instant now) {
    TopicRow row = topics.requireCached(h, r.topic());
    cursors.ensure(h, r.group(), row, r.startPosition());
    long claimNo = h.createQuery(sql.get("token_next")).mapTo(Long.class).one();
    Instant until = now.plus(r.lease());
    Grant grant = new Grant(r.group(), row, claimNo, new AtomicInteger(), now, until);
    List<Lease> leases = new ArrayList<>(claimReady(h, grant, r));
    if (leases.size() < r.maxMessages()) {
      leases.addAll(claimNew(h, grant, r.maxMessages() - leases.size(), r.ordering()));
    }
    leases.sort(
        Comparator.comparingInt((Lease l) -> l.id().partition())
            .thenComparingLong(l -> l.id().offset()));
    return leases;
  }

  /**
   * One claim call's grant. Tokens are {@code claimNo * MAX_CLAIM + i}: unique per lease, since
   * {@code claimNo} comes from a sequence and a claim grants fewer than {@code MAX_CLAIM} leases.
   */
  private record Grant(
      String group, TopicRow row, long claimNo, AtomicInteger granted, Instant now, Instant until) {
    long nextToken() {
      return claimNo * ClaimRequest.MAX_CLAIM + granted.getAndIncrement();
    }
  }

  private record Ready(int partition, long offset, int attempts, Instant firstDelivered) {}

  private List<Lease> claimReady(Handle h, Grant g, ClaimRequest r) {
    String name = r.ordering() == Ordering.KEY_ORDERED ? "claim_ready_key_ordered" : "claim_ready";
    List<Ready> ready =
        h.createQuery(sql.get(name))
            .bind("group", g.group())
            .bind("topicId", g.row().id())
            .bind("now", Database.ts(g.now()))
            .bind("max", r.maxMessages())
            .map(
                (rs, ctx) ->
                    new Ready(
                        rs.getInt("partition_no"),
                        rs.getLong("msg_offset"),
                        rs.getInt("attempts"),
                        Database.instant(rs, "first_delivered_at")))
            .list();
    if (ready.isEmpty()) {
      return List.of();
    }
    PreparedBatch update = h.prepareBatch(sql.get("delivery_grant"));
    Map<Integer, List<Ready>> byPartition = new TreeMap<>();
    Map<Long, Long> tokens = new java.util.HashMap<>();
    for (Ready d : ready) {
      long token = g.nextToken();
      tokens.put(((long) d.partition() << 48) ^ d.offset(), token);
      update
          .bind("token", token)
          .bind("until", Database.ts(g.until()))
          .bind("now", Database.ts(g.now()))
          .bind("group", g.group())
          .bind("topicId", g.row().id())
          .bind("partition", d.partition())
          .bind("offset", d.offset())
          .add();
      byPartition.computeIfAbsent(d.partition(), p -> new ArrayList<>()).add(d);
    }
    update.execute();
    List<Lease> leases = new ArrayList<>(ready.size());
    for (Map.Entry<Integer, List<Ready>> e : byPartition.entrySet()) {
      List<Ready> rows = e.getValue();
      long min = rows.stream().mapToLong(Ready::offset).min().orElseThrow();
      long max = rows.stream().mapToLong(Ready::offset).max().orElseThrow();
      Map<Long, StoredMessage> messages = messagesBetween(h, g.row(), e.getKey(), min, max);
      for (Ready d : rows) {
        StoredMessage m = messages.get(d.offset());
        if (m != null) {
          Instant first = d.firstDelivered() == null ? g.now() : d.firstDelivered();
          long token = tokens.get(((long) d.partition() << 48) ^ d.offset());
          leases.add(lease(g, m, token, d.attempts() + 1, first));
        }
      }
    }
    return leases;
  }

  private Map<Long, StoredMessage> messagesBetween(
      Handle h, TopicRow row, int partition, long from, long to) {
    Map<Long, StoredMessage> out = new TreeMap<>();
    h.createQuery(sql.get("message_between"))
        .bind("topicId", row.id())
        .bind("partition", partition)
        .bind("from", from)
        .bind("to", to)
        .map((rs, ctx) -> MessageRows.read(rs, row.name(), partition))
        .forEach(m -> out.put(m.offset(), m));
    return out;
  }

  private List<Lease> claimNew(Handle h, Grant g, int wanted, Ordering ordering) {
    List<Lease> leases = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    int partitions = g.row().config().partitions();
    int start = Math.floorMod(rotation.getAndIncrement(), partitions);
    while (leases.size() < wanted) {
      Map.Entry<Integer, Long> cursor =
          h.createQuery(sql.get("cursor_lock_next"))
              .bind("group", g.group())
              .bind("topicId", g.row().id())
              .bindArray("taken", Integer.class, taken)
              .bind("rotation", partitions - start)
              .bind("partitions", partitions)
              .map((rs, ctx) -> Map.entry(rs.getInt("partition_no"), rs.getLong("next_offset")))
              .findOne()
              .orElse(null);
      if (cursor == null) {
        break;
      }
      taken.add(cursor.getKey());
      leases.addAll(
          fromPartition(
              h, g, cursor.getKey(), cursor.getValue(), wanted - leases.size(), ordering));
    }
    return leases;
  }

  private List<Lease> fromPartition(
      Handle h, Grant g, int partition, long from, int wanted, Ordering ordering) {
    List<StoredMessage> messages =
        h.createQuery(sql.get("message_range"))
            .bind("topicId", g.row().id())
            .bind("partition", partition)
            .bind("from", from)
            .bind("max", wanted)
            .map((rs, ctx) -> MessageRows.read(rs, g.row().name(), partition))
            .list();
    if (messages.isEmpty()) {
      return List.of();
    }
    Set<String> heldKeys =
        ordering == Ordering.KEY_ORDERED ? inFlightKeys(h, g, partition) : new HashSet<>();
    List<Lease> leases = new ArrayList<>(messages.size());
    PreparedBatch insert = h.prepareBatch(sql.get("delivery_insert"));
    for (StoredMessage m : messages) {
      Message msg = m.message();
      boolean delayed = msg.deliverAt() != null && msg.deliverAt().isAfter(g.now());
      boolean held =
          ordering == Ordering.KEY_ORDERED && msg.key() != null && !heldKeys.add(msg.key());
      boolean lease = !delayed && !held;
      long token = lease ? g.nextToken() : 0L;
      insert
          .bind("group", g.group())
          .bind("topicId", g.row().id())
          .bind("partition", partition)
          .bind("offset", m.offset())
          .bind("key", msg.key())
          .bind("token", token)
          .bind("attempts", lease ? 1 : 0)
          .bind("leased", lease)
          .bind("visibleAt", Database.ts(lease ? g.until() : delayed ? msg.deliverAt() : g.now()))
          .bind("firstDeliveredAt", Database.ts(lease ? g.now() : null))
          .add();
      if (lease) {
        leases.add(lease(g, m, token, 1, g.now()));
      }
    }
    insert.execute();
    h.createUpdate(sql.get("cursor_advance"))
        .bind("next", messages.get(messages.size() - 1).offset() + 1)
        .bind("group", g.group())
        .bind("topicId", g.row().id())
        .bind("partition", partition)
        .execute();
    return leases;
  }

  private Set<String> inFlightKeys(Handle h, Grant g, int partition) {
    return new HashSet<>(
        h.createQuery(sql.get("inflight_keys"))
            .bind("group", g.group())
            .bind("topicId", g.row().id())
            .bind("partition", partition)
            .mapTo(String.class)
            .list());
  }

  private static Lease lease(Grant g, StoredMessage m, long token, int attempt, Instant first) {
    DeliveryId id = new DeliveryId(m.topic(), m.partition(), m.offset(), token);
    return new Lease(id, m, attempt, g.until(), first);
  }
}
