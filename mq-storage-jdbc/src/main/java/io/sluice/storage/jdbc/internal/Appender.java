package io.sluice.storage.jdbc.internal;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.internal.AppendPlan;
import io.sluice.spi.OutgoingMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Appends batches inside a transaction it is given (the store's own, or the caller's for the
 * outbox).
 *
 * <p><b>No sequence gaps.</b> Offsets come from the partition's counter row, taken with {@code
 * UPDATE ... RETURNING} (MariaDB: {@code UPDATE ... LAST_INSERT_ID(expr)}, then {@code SELECT
 * LAST_INSERT_ID()}) and held until the transaction ends. A second append to the same partition
 * waits for the first to commit or roll back before it gets its offsets, so per partition the
 * commit order is the offset order and committed offsets always form a dense prefix: a reader that
 * saw offset n committed has also seen every offset below n. Counter rows are taken in ascending
 * partition order, so appends never deadlock each other.
 *
 * <p><b>Unkeyed batches</b> go to a partition whose counter row is free ({@code SKIP LOCKED}), so a
 * long transaction holding one partition does not stall unkeyed producers; keyed and explicit
 * partitions wait for their row.
 */
public final class Appender {
  private final Statements sql;
  private final Topics topics;
  private final AtomicInteger rotation = new AtomicInteger();

  private final boolean jsonHeaders;

  /**
   * An appender using these statements; {@code jsonHeaders}: the dialect stores headers as JSON.
   */
  public Appender(Statements sql, Topics topics, boolean jsonHeaders) {
    this.sql = sql;
    this.topics = topics;
    this.jsonHeaders = jsonHeaders;
  }

  /**
   * Appends the batch in the handle's current transaction and returns one receipt per message.
   *
   * @throws RetryableConflict when another transaction accepted one of the idempotency keys first
   */
  public List<Receipt> append(Handle h, String topic, List<OutgoingMessage> batch, Instant now) {
    TopicRow row = topics.requireCached(h, topic);
    if (!fits(row, batch)) {
      topics.forget(topic); // maybe grown elsewhere: check against the current count
      row = topics.requireCached(h, topic);
    }
    TopicRow planned = row;
    boolean onlyUnkeyed =
        batch.stream()
            .allMatch(
                o -> o.partition() == OutgoingMessage.ANY_PARTITION && o.message().key() == null);
    AppendPlan plan =
        AppendPlan.of(
            topic,
            row.config(),
            row.config().partitions(),
            () -> chooseUnkeyed(h, planned, onlyUnkeyed),
            batch);
    Map<String, Receipt> seen = dedupe(h, row, batch, now);
    Receipt[] receipts = new Receipt[batch.size()];
    Map<Integer, List<Integer>> byPartition = byPartition(plan, batch, seen, receipts);
    List<Integer> accepted = new ArrayList<>();
    for (Map.Entry<Integer, List<Integer>> e : byPartition.entrySet()) {
      int partition = e.getKey();
      List<Integer> indexes = e.getValue();
      long offset = reserve(h, row.id(), partition, indexes.size()) - indexes.size();
      PreparedBatch insert = h.prepareBatch(sql.get("message_insert"));
      for (int i : indexes) {
        Message m = batch.get(i).message();
        Instant ts = m.timestamp() == null ? now : m.timestamp();
        m = m.withTimestamp(ts.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        MessageRows.bind(insert, row.id(), partition, offset, m, jsonHeaders);
        receipts[i] = new Receipt(topic, partition, offset, m.timestamp(), false);
        offset++;
        accepted.add(i);
      }
      insert.execute();
    }
    recordKeys(h, row, batch, accepted, receipts, now);
    for (int i = 0; i < receipts.length; i++) {
      if (plan.repeatOf(i) >= 0) {
        receipts[i] = receipts[plan.repeatOf(i)].asDuplicate();
      }
    }
    return List.of(receipts);
  }

  /**
   * Adds {@code count} to the partition's counter row and returns its new value (the end of the
   * reserved range), holding the row's lock until the transaction ends. {@code UPDATE ...
   * RETURNING} where the dialect has it; else the {@code UPDATE} leaves the value in the session
   * and {@code offset_reserved} reads it (MariaDB's {@code LAST_INSERT_ID(expr)}).
   */
  private long reserve(Handle h, int topicId, int partition, int count) {
    if (sql.dialect().updateReturning()) {
      return h.createQuery(sql.get("offset_reserve"))
          .bind("count", count)
          .bind("topicId", topicId)
          .bind("partition", partition)
          .mapTo(Long.class)
          .one();
    }
    int updated =
        h.createUpdate(sql.get("offset_reserve"))
            .bind("count", count)
            .bind("topicId", topicId)
            .bind("partition", partition)
            .execute();
    if (updated != 1) {
      // No row: the session's value would be stale. Topics and partitions are never deleted.
      throw new IllegalStateException(
          "no counter row for partition " + partition + " of topic id " + topicId);
    }
    return h.createQuery(sql.get("offset_reserved")).mapTo(Long.class).one();
  }

  /**
   * Appends several calls' batches in the handle's transaction, in order, as one batch (see {@link
   * AppendCombiner}) and returns each call's receipts.
   */
  public List<List<Receipt>> appendAll(
      Handle h, String topic, List<List<OutgoingMessage>> batches, Instant now) {
    if (batches.size() == 1) {
      return List.of(append(h, topic, batches.get(0), now));
    }
    return split(append(h, topic, concat(batches), now), batches);
  }

  /** Several calls' batches as one, in order. */
  static List<OutgoingMessage> concat(List<List<OutgoingMessage>> batches) {
    List<OutgoingMessage> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }

  /** The receipts of {@link #concat}'s batch handed back per call, in the calls' order. */
  static List<List<Receipt>> split(List<Receipt> receipts, List<List<OutgoingMessage>> batches) {
    List<List<Receipt>> out = new ArrayList<>(batches.size());
    int from = 0;
    for (List<OutgoingMessage> b : batches) {
      out.add(List.copyOf(receipts.subList(from, from + b.size())));
      from += b.size();
    }
    return out;
  }

  /**
   * The one-statement path (PostgreSQL) for a batch of unkeyed messages to any partition without
   * idempotency keys: runs in auto-commit, so the whole append is one round trip. Empty when the
   * batch does not qualify or every partition is busy; then use {@link #append} in a transaction.
   */
  public java.util.Optional<List<Receipt>> appendUnkeyed(
      Handle h, String topic, List<OutgoingMessage> batch, Instant now) {
    for (OutgoingMessage out : batch) {
      if (out == null
          || out.partition() != OutgoingMessage.ANY_PARTITION
          || out.message().key() != null
          || out.message().idempotencyKey() != null) {
        return java.util.Optional.empty();
      }
    }
    TopicRow row = topics.requireCached(h, topic);
    validate(row, batch);
    int n = batch.size();
    Columns c = columns(batch, now);
    int partitions = row.config().partitions();
    int start = Math.floorMod(rotation.getAndIncrement(), partitions);
    java.util.Optional<long[]> reserved =
        h.createQuery(sql.get("append_unkeyed"))
            .bind("topicId", row.id())
            .bind("rotation", partitions - start)
            .bind("partitions", partitions)
            .bind("count", n)
            .bind("headers", array("text", c.headers()))
            .bind("payloads", array("bytea", c.payloads()))
            .bind("timestamps", array("bigint", c.timestamps()))
            .bind("deliverAts", array("bigint", c.deliverAts()))
            .map((rs, ctx) -> new long[] {rs.getInt("partition_no"), rs.getLong("base")})
            .findOne();
    if (reserved.isEmpty()) {
      return java.util.Optional.empty();
    }
    int partition = (int) reserved.get()[0];
    long base = reserved.get()[1];
    List<Receipt> receipts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      receipts.add(new Receipt(topic, partition, base + i, c.stamped()[i], false));
    }
    return java.util.Optional.of(receipts);
  }

  /**
   * The one-statement path (PostgreSQL) for a batch whose messages all go to one partition (keyed
   * or explicit) without idempotency keys: auto-commit, so the counter row is held for one
   * statement and its commit only. Empty when the batch does not qualify.
   */
  public java.util.Optional<List<Receipt>> appendToOnePartition(
      Handle h, String topic, List<OutgoingMessage> batch, Instant now) {
    TopicRow row = topics.requireCached(h, topic);
    int partition = onePartition(row, batch);
    if (partition < 0 || batch.stream().anyMatch(o -> o.message().idempotencyKey() != null)) {
      return java.util.Optional.empty();
    }
    validate(row, batch);
    Columns c = columns(batch, now);
    String[] keys = new String[batch.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = batch.get(i).message().key();
    }
    long base =
        h.createQuery(sql.get("append_partition"))
            .bind("topicId", row.id())
            .bind("partition", partition)
            .bind("count", batch.size())
            .bind("keys", array("text", keys))
            .bind("headers", array("text", c.headers()))
            .bind("payloads", array("bytea", c.payloads()))
            .bind("timestamps", array("bigint", c.timestamps()))
            .bind("deliverAts", array("bigint", c.deliverAts()))
            .map((rs, ctx) -> rs.getLong("base"))
            .one();
    List<Receipt> receipts = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      receipts.add(new Receipt(topic, partition, base + i, c.stamped()[i], false));
    }
    return java.util.Optional.of(receipts);
  }

  /**
   * The one-statement path (PostgreSQL) for a batch without idempotency keys that spreads over
   * several partitions: auto-commit, so the counter rows are held for one statement and its commit
   * only, and the append is one round trip however many partitions it touches. Unkeyed messages
   * without a partition go to one partition chosen by rotation, as in {@link #append}. Empty when
   * the batch has an idempotency key or names a partition beyond the cached count.
   */
  public java.util.Optional<List<Receipt>> appendSpread(
      Handle h, String topic, List<OutgoingMessage> batch, Instant now) {
    TopicRow row = topics.requireCached(h, topic);
    if (!fits(row, batch) || batch.stream().anyMatch(o -> o.message().idempotencyKey() != null)) {
      return java.util.Optional.empty();
    }
    int partitions = row.config().partitions();
    int start = Math.floorMod(rotation.getAndIncrement(), partitions);
    AppendPlan plan = AppendPlan.of(topic, row.config(), partitions, () -> start, batch);
    int n = batch.size();
    Integer[] parts = new Integer[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      parts[i] = plan.partition(i);
      keys[i] = batch.get(i).message().key();
    }
    Columns c = columns(batch, now);
    // One row per partition written: {partition, base offset, messages inserted in all}.
    List<long[]> reserved =
        h.createQuery(sql.get("append_spread"))
            .bind("topicId", row.id())
            .bind("parts", array("int", parts))
            .bind("keys", array("text", keys))
            .bind("headers", array("text", c.headers()))
            .bind("payloads", array("bytea", c.payloads()))
            .bind("timestamps", array("bigint", c.timestamps()))
            .bind("deliverAts", array("bigint", c.deliverAts()))
            .map(
                (rs, ctx) ->
                    new long[] {
                      rs.getInt("partition_no"), rs.getLong("base"), rs.getLong("inserted")
                    })
            .list();
    long inserted = reserved.isEmpty() ? 0 : reserved.get(0)[2];
    if (inserted != n) {
      // Partitions are never deleted, and the batch was checked against the cached count.
      throw new IllegalStateException(
          "append to " + topic + " wrote " + inserted + " of " + n + " messages");
    }
    Map<Integer, Long> next = new HashMap<>(); // per partition, the offset of its next message
    reserved.forEach(r -> next.put((int) r[0], r[1]));
    List<Receipt> receipts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int partition = parts[i];
      long offset = next.merge(partition, 1L, Long::sum) - 1;
      receipts.add(new Receipt(topic, partition, offset, c.stamped()[i], false));
    }
    return java.util.Optional.of(receipts);
  }

  /**
   * The one partition every message of the batch goes to (explicit or by key), or -1 when they
   * spread, one is unkeyed without a partition, or one names a partition beyond the cached count.
   */
  public int onePartition(Handle h, String topic, List<OutgoingMessage> batch) {
    return onePartition(topics.requireCached(h, topic), batch);
  }

  private static int onePartition(TopicRow row, List<OutgoingMessage> batch) {
    if (!fits(row, batch)) {
      return -1;
    }
    AppendPlan plan =
        AppendPlan.of(row.name(), row.config(), row.config().partitions(), () -> -1, batch);
    return plan.size() > 0 && plan.singlePartition() ? plan.partition(0) : -1;
  }

  /** A batch as column arrays for the one-statement paths (PostgreSQL: headers as JSON). */
  private record Columns(
      String[] headers,
      byte[][] payloads,
      Long[] timestamps,
      Long[] deliverAts,
      Instant[] stamped) {}

  private static Columns columns(List<OutgoingMessage> batch, Instant now) {
    int n = batch.size();
    Columns c = new Columns(new String[n], new byte[n][], new Long[n], new Long[n], new Instant[n]);
    for (int i = 0; i < n; i++) {
      Message m = batch.get(i).message();
      c.headers()[i] = HeadersCodec.encodeJson(m.headers());
      c.payloads()[i] = m.payload();
      c.stamped()[i] =
          (m.timestamp() == null ? now : m.timestamp())
              .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
      c.timestamps()[i] = micros(c.stamped()[i]);
      c.deliverAts()[i] = m.deliverAt() == null ? null : micros(m.deliverAt());
    }
    return c;
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  private static org.jdbi.v3.core.argument.Argument array(String type, Object[] values) {
    return (position, statement, ctx) ->
        statement.setArray(position, statement.getConnection().createArrayOf(type, values));
  }

  private static boolean fits(TopicRow row, List<OutgoingMessage> batch) {
    for (OutgoingMessage out : batch) {
      if (out != null && out.partition() >= row.config().partitions()) {
        return false;
      }
    }
    return true;
  }

  /** Checks sizes and partitions (the unkeyed partition is chosen by the caller's statement). */
  private static void validate(TopicRow row, List<OutgoingMessage> batch) {
    AppendPlan.of(row.name(), row.config(), row.config().partitions(), () -> 0, batch);
  }

  private Map<String, Receipt> dedupe(
      Handle h, TopicRow row, List<OutgoingMessage> batch, Instant now) {
    Set<String> keys = new LinkedHashSet<>();
    for (OutgoingMessage out : batch) {
      if (out.message().idempotencyKey() != null) {
        keys.add(out.message().idempotencyKey());
      }
    }
    Map<String, Receipt> seen = new HashMap<>();
    if (keys.isEmpty()) {
      return seen;
    }
    h.createUpdate(sql.get("dedupe_delete_expired"))
        .bind("topicId", row.id())
        .bindArray("keys", String.class, keys)
        .bind("cutoff", Database.ts(now.minus(row.config().dedupeWindow())))
        .execute();
    h.createQuery(sql.get("dedupe_find"))
        .bind("topicId", row.id())
        .bindArray("keys", String.class, keys)
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("idempotency_key"),
                    new Receipt(
                        row.name(),
                        rs.getInt("partition_no"),
                        rs.getLong("msg_offset"),
                        Database.instant(rs, "msg_timestamp", ctx),
                        true)))
        .forEach(e -> seen.put(e.getKey(), e.getValue()));
    return seen;
  }

  /**
   * The messages to write per partition, in batch order, as the {@link AppendPlan} placed them;
   * fills the receipts of messages whose idempotency key was accepted before (repeats within the
   * call get their first one's receipt afterwards).
   */
  private static Map<Integer, List<Integer>> byPartition(
      AppendPlan plan, List<OutgoingMessage> batch, Map<String, Receipt> seen, Receipt[] receipts) {
    Map<Integer, List<Integer>> byPartition = new TreeMap<>();
    for (int i = 0; i < batch.size(); i++) {
      if (plan.repeatOf(i) >= 0) {
        continue;
      }
      String key = batch.get(i).message().idempotencyKey();
      if (key != null && seen.containsKey(key)) {
        receipts[i] = seen.get(key);
        continue;
      }
      byPartition.computeIfAbsent(plan.partition(i), p -> new ArrayList<>()).add(i);
    }
    return byPartition;
  }

  private int chooseUnkeyed(Handle h, TopicRow row, boolean onlyUnkeyed) {
    int partitions = row.config().partitions();
    int start = Math.floorMod(rotation.getAndIncrement(), partitions);
    if (!onlyUnkeyed || partitions == 1) {
      return start; // locked later in ascending order with the others: no deadlock
    }
    java.util.Optional<Integer> free = pickFree(h, "partition_pick_free", row, partitions, start);
    if (free.isEmpty() && !sql.dialect().sortedSkipLockedLocksOnlyReturnedRows()) {
      free = pickFree(h, "partition_pick_free_wrap", row, partitions, start);
    }
    return free.orElse(start);
  }

  private java.util.Optional<Integer> pickFree(
      Handle h, String statement, TopicRow row, int partitions, int start) {
    return h.createQuery(sql.get(statement))
        .bind("topicId", row.id())
        .bind("rotation", partitions - start)
        .bind("partitions", partitions)
        .mapTo(Integer.class)
        .findOne();
  }

  private void recordKeys(
      Handle h,
      TopicRow row,
      List<OutgoingMessage> batch,
      List<Integer> accepted,
      Receipt[] receipts,
      Instant now) {
    PreparedBatch insert = null;
    for (int i : accepted) {
      String key = batch.get(i).message().idempotencyKey();
      if (key == null) {
        continue;
      }
      if (insert == null) {
        insert = h.prepareBatch(sql.get("dedupe_insert"));
      }
      insert
          .bind("topicId", row.id())
          .bind("key", key)
          .bind("partition", receipts[i].partition())
          .bind("offset", receipts[i].offset())
          .bind("timestamp", Database.ts(receipts[i].timestamp()))
          .bind("now", Database.ts(now))
          .add();
    }
    if (insert == null) {
      return;
    }
    try {
      insert.execute();
    } catch (RuntimeException e) {
      if (Database.uniqueViolation(sql.dialect(), e)) {
        throw new RetryableConflict("an idempotency key was accepted concurrently", e);
      }
      throw e;
    }
  }
}
