package io.sluice.storage.jdbc.internal;

import io.sluice.spi.DeliveryId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Finds the delivery rows that hold a call's deliveries, and splits run rows into single-message
 * rows.
 *
 * <p><b>Run rows.</b> A row stands for the offsets {@code [msg_offset, msg_offset + span)}; rows of
 * one group and partition never overlap. The delivery at {@code msg_offset + i} has token {@code
 * token + i}, so a delivery id names its row without knowing where the run starts: the row is the
 * one with the greatest start at or below the id's offset, and it holds the id if the offset is
 * inside the run and the token matches. All ids of one run share {@code token - offset}; ids are
 * grouped by it, and each group is looked up with one backward primary-key probe plus a range scan
 * up to its highest offset (which finds nothing more for a run, and the single rows in between for
 * consecutive single-message grants).
 *
 * <p><b>Explode.</b> Anything but ack and markStarted (release, extend, re-grant after expiry,
 * retention cutting through a run) first replaces a run row by one row per offset not yet acked,
 * with the same token, attempts (plus one where the started bit is set), lease and times: the same
 * state in the per-message form, so every other statement only ever sees single-message rows.
 */
final class DeliveryRows {
  /** A delivery row as located: a single message ({@code span} 1) or a run. */
  record Row(
      int partition,
      long start,
      int span,
      long token,
      int attempts,
      boolean started,
      boolean leased,
      Instant visibleAt,
      Instant firstDelivered,
      String acked,
      String startedBits) {

    boolean isRun() {
      return span > 1;
    }

    /** Whether this row holds the delivery (its offset is in the run and its token matches). */
    boolean holds(DeliveryId id) {
      long i = id.offset() - start;
      return i >= 0 && i < span && id.token() == token + i;
    }

    /** The position of the delivery's offset in the run. */
    int pos(DeliveryId id) {
      return (int) (id.offset() - start);
    }

    static Row read(ResultSet rs, StatementContext ctx) throws SQLException {
      return new Row(
          rs.getInt("partition_no"),
          rs.getLong("msg_offset"),
          rs.getInt("span"),
          rs.getLong("token"),
          rs.getInt("attempts"),
          rs.getBoolean("started"),
          rs.getBoolean("leased"),
          Database.instant(rs, "visible_at", ctx),
          Database.instant(rs, "first_delivered_at", ctx),
          rs.getString("acked"),
          rs.getString("started_bits"));
    }
  }

  private final Statements sql;
  private final boolean arrays;

  /** Per settle statement, its {@link Framing#COMMITTING} text. */
  private final Map<String, String> committing = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * How the one-statement settles of a call are sent (PostgreSQL, {@link #settleAll}).
   *
   * <p>{@code IN_TRANSACTION}: as they are, statements of the caller's transaction.
   *
   * <p>{@code COMMITTING}: the caller's transaction holds nothing but this statement (an ack or
   * start mark of one topic called on its own), so it is sent as {@code SET LOCAL plan_cache_mode =
   * force_generic_plan; <statement>; COMMIT}. PgJDBC sends the three parts with one {@code Sync}:
   * one round trip instead of three, each part a prepared statement of its own (so the settle is
   * still planned once per connection). A statement that fails aborts the transaction and the
   * server skips the {@code COMMIT}; a retry of rejected ids ({@link #retryRejected}) then runs in
   * a transaction of its own, framed the same way; the caller's commit finds nothing left to do.
   */
  enum Framing {
    IN_TRANSACTION,
    COMMITTING
  }

  /** Rows read with these statements; {@code arrays}: many windows in one statement. */
  DeliveryRows(Statements sql, boolean arrays) {
    this.sql = sql;
    this.arrays = arrays;
  }

  /**
   * Locks the current (leased, unexpired) rows holding these deliveries of one topic and returns,
   * for each id (same index), its row, or null when no current lease holds it.
   */
  Row[] locate(Handle h, String group, int topicId, List<DeliveryId> ids, Instant now) {
    Map<List<Long>, long[]> windows = new LinkedHashMap<>();
    for (DeliveryId id : ids) {
      List<Long> key = List.of((long) id.partition(), id.token() - id.offset());
      long[] w = windows.computeIfAbsent(key, k -> new long[] {id.offset(), id.offset()});
      w[0] = Math.min(w[0], id.offset());
      w[1] = Math.max(w[1], id.offset());
    }
    Map<Integer, TreeMap<Long, Row>> byPartition = new HashMap<>();
    for (Row r : windows(h, group, topicId, windows, now)) {
      byPartition.computeIfAbsent(r.partition(), p -> new TreeMap<>()).put(r.start(), r);
    }
    Row[] out = new Row[ids.size()];
    for (int i = 0; i < out.length; i++) {
      DeliveryId id = ids.get(i);
      TreeMap<Long, Row> rows = byPartition.get(id.partition());
      Map.Entry<Long, Row> e = rows == null ? null : rows.floorEntry(id.offset());
      out[i] = e != null && e.getValue().holds(id) ? e.getValue() : null;
    }
    return out;
  }

  private List<Row> windows(
      Handle h, String group, int topicId, Map<List<Long>, long[]> windows, Instant now) {
    if (arrays) {
      int n = windows.size();
      Integer[] partitions = new Integer[n];
      Long[] los = new Long[n];
      Long[] his = new Long[n];
      int i = 0;
      for (Map.Entry<List<Long>, long[]> e : windows.entrySet()) {
        partitions[i] = e.getKey().get(0).intValue();
        los[i] = e.getValue()[0];
        his[i] = e.getValue()[1];
        i++;
      }
      return h.createQuery(sql.get("delivery_windows"))
          .bind("group", group)
          .bind("topicId", topicId)
          .bindArray("partitions", Integer.class, (Object[]) partitions)
          .bindArray("los", Long.class, (Object[]) los)
          .bindArray("his", Long.class, (Object[]) his)
          .bind("now", Database.ts(now))
          .map(Row::read)
          .list();
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<List<Long>, long[]> e : windows.entrySet()) {
      int partition = e.getKey().get(0).intValue();
      long lo = e.getValue()[0];
      Long floor =
          h.createQuery(sql.get("delivery_floor"))
              .bind("group", group)
              .bind("topicId", topicId)
              .bind("partition", partition)
              .bind("lo", lo)
              .mapTo(Long.class)
              .one();
      h.createQuery(sql.get("delivery_window"))
          .bind("group", group)
          .bind("topicId", topicId)
          .bind("partition", partition)
          .bind("from", floor == null ? lo : floor)
          .bind("hi", e.getValue()[1])
          .bind("now", Database.ts(now))
          .map(Row::read)
          .forEach(rows::add);
    }
    return rows;
  }

  /**
   * Runs a one-statement settle ({@code delivery_ack_many} or {@code delivery_start_many},
   * PostgreSQL) for these deliveries of one topic and returns, per id (same index), whether it
   * applied. The ids go as arrays and as groups by (partition, token - offset) with the lowest and
   * highest offset and a mask of the group's offsets (see the statements). {@code once}: a repeated
   * id applies only the first time (ack); else each time (markStarted). With {@link
   * Framing#COMMITTING} the statement also commits the transaction (see there).
   */
  boolean[] settleAll(
      Handle h,
      String statement,
      Framing framing,
      String group,
      int topicId,
      List<DeliveryId> ids,
      Instant now,
      boolean once) {
    Map<List<Long>, List<Long>> groups = new LinkedHashMap<>();
    int n = ids.size();
    Integer[] partitions = new Integer[n];
    Long[] offsets = new Long[n];
    Long[] tokens = new Long[n];
    for (int i = 0; i < n; i++) {
      DeliveryId id = ids.get(i);
      partitions[i] = id.partition();
      offsets[i] = id.offset();
      tokens[i] = id.token();
      groups
          .computeIfAbsent(
              List.of((long) id.partition(), id.token() - id.offset()), k -> new ArrayList<>())
          .add(id.offset());
    }
    int g = groups.size();
    Integer[] groupPartitions = new Integer[g];
    Long[] deltas = new Long[g];
    Long[] los = new Long[g];
    Long[] his = new Long[g];
    String[] masks = new String[g];
    int k = 0;
    for (Map.Entry<List<Long>, List<Long>> e : groups.entrySet()) {
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (long o : e.getValue()) {
        lo = Math.min(lo, o);
        hi = Math.max(hi, o);
      }
      char[] mask = new char[(int) Math.min(hi - lo + 1, Integer.MAX_VALUE - 8)];
      java.util.Arrays.fill(mask, '0');
      for (long o : e.getValue()) {
        if (o - lo < mask.length) {
          mask[(int) (o - lo)] = '1';
        }
      }
      groupPartitions[k] = e.getKey().get(0).intValue();
      deltas[k] = e.getKey().get(1);
      los[k] = lo;
      his[k] = hi;
      masks[k] = new String(mask);
      k++;
    }
    java.util.Set<String> applied = new java.util.HashSet<>();
    String text =
        framing == Framing.COMMITTING
            ? committing.computeIfAbsent(
                statement, s -> sql.get("plan_generic") + ";\n" + sql.get(s) + ";\nCOMMIT")
            : sql.get(statement);
    try (Query q = h.createQuery(text)) {
      q.bind("group", group)
          .bind("topicId", topicId)
          .bindArray("partitions", Integer.class, (Object[]) partitions)
          .bindArray("offsets", Long.class, (Object[]) offsets)
          .bindArray("tokens", Long.class, (Object[]) tokens)
          .bindArray("groupPartitions", Integer.class, (Object[]) groupPartitions)
          .bindArray("deltas", Long.class, (Object[]) deltas)
          .bindArray("los", Long.class, (Object[]) los)
          .bindArray("his", Long.class, (Object[]) his)
          .bindArray("masks", String.class, (Object[]) masks)
          .bind("now", Database.ts(now))
          .execute(
              (executed, ctx) -> {
                eachRow(
                    executed.get(),
                    rs ->
                        applied.add(
                            rs.getInt("partition_no")
                                + "@"
                                + rs.getLong("msg_offset")
                                + "#"
                                + rs.getLong("token")));
                return null;
              });
    }
    boolean[] out = new boolean[n];
    for (int i = 0; i < n; i++) {
      DeliveryId id = ids.get(i);
      String key = id.partition() + "@" + id.offset() + "#" + id.token();
      out[i] = once ? applied.remove(key) : applied.contains(key);
    }
    return out;
  }

  /** The row starting at {@code offset}, with its bits (the caller holds its lock). */
  Row row(Handle h, String group, int topicId, int partition, long offset) {
    return h.createQuery(sql.get("delivery_row"))
        .bind("group", group)
        .bind("topicId", topicId)
        .bind("partition", partition)
        .bind("offset", offset)
        .map(Row::read)
        .one();
  }

  /**
   * Replaces the locked run row starting at {@code start} by one row per offset not yet acked (see
   * the class comment) and returns them in offset order. The row is read again here, after the
   * caller took its lock: its started bits then include every start mark committed before (on
   * PostgreSQL they are rows of their own, which a locking read of the run row does not see).
   */
  List<Row> explode(Handle h, String group, int topicId, int partition, long start) {
    Row run = row(h, group, topicId, partition, start);
    addRow(h.prepareBatch(sql.get("delivery_delete_one")), group, topicId, run).execute();
    PreparedBatch insert = h.prepareBatch(sql.get("delivery_insert_single"));
    List<Row> singles = new ArrayList<>(run.span());
    for (int i = 0; i < run.span(); i++) {
      if (Bits.isSet(run.acked(), i)) {
        continue;
      }
      boolean started = Bits.isSet(run.startedBits(), i);
      Row single =
          new Row(
              run.partition(),
              run.start() + i,
              1,
              run.token() + i,
              run.attempts() + (started ? 1 : 0),
              started,
              run.leased(),
              run.visibleAt(),
              run.firstDelivered(),
              null,
              null);
      insert
          .bind("group", group)
          .bind("topicId", topicId)
          .bind("partition", single.partition())
          .bind("offset", single.start())
          .bind("token", single.token())
          .bind("attempts", single.attempts())
          .bind("leased", single.leased())
          .bind("started", started)
          .bind("visibleAt", Database.ts(single.visibleAt()))
          .bind("firstDeliveredAt", Database.ts(single.firstDelivered()))
          .add();
      singles.add(single);
    }
    if (!singles.isEmpty()) {
      insert.execute();
    }
    return singles;
  }

  /** Explodes the run rows among the rows holding these deliveries (locked by the call). */
  void explodeHolding(Handle h, String group, int topicId, List<DeliveryId> ids, Instant now) {
    Map<List<Long>, Row> runs = new LinkedHashMap<>();
    for (Row r : locate(h, group, topicId, ids, now)) {
      if (r != null && r.isRun()) {
        runs.putIfAbsent(List.of((long) r.partition(), r.start()), r);
      }
    }
    for (Row r : runs.values()) {
      explode(h, group, topicId, r.partition(), r.start());
    }
  }

  /**
   * Runs {@code again} once more for the items {@code first} rejected, and merges: a statement that
   * waited for the lock of a run row which a concurrent transaction then split ({@link #explode}: a
   * release or extension of another delivery of the run) found the run gone and the new
   * single-message rows not yet in its snapshot; the next statement sees them. A run is split at
   * most once, so one retry settles every delivery that is still current.
   */
  static <T> boolean[] retryRejected(
      boolean[] first, List<T> items, java.util.function.Function<List<T>, boolean[]> again) {
    List<Integer> rejected = new ArrayList<>();
    for (int i = 0; i < first.length; i++) {
      if (!first[i]) {
        rejected.add(i);
      }
    }
    if (rejected.isEmpty()) {
      return first;
    }
    List<T> rest = new ArrayList<>(rejected.size());
    rejected.forEach(i -> rest.add(items.get(i)));
    boolean[] second = again.apply(rest);
    for (int k = 0; k < second.length; k++) {
      if (second[k]) {
        first[rejected.get(k)] = true;
      }
    }
    return first;
  }

  /**
   * The framing of a call's settle statements: {@code COMMITTING} when the call is {@code alone} in
   * its transaction and is {@code oneStatement} (one topic, nothing else to write) on a store with
   * array statements; otherwise in the transaction, which, when the call is alone in it on such a
   * store, first plans the rest of itself generically (the statements' arrays made PostgreSQL plan
   * them anew for every call).
   */
  Framing framing(Handle h, boolean alone, boolean oneStatement) {
    if (!arrays || !alone) {
      return Framing.IN_TRANSACTION;
    }
    if (oneStatement) {
      return Framing.COMMITTING;
    }
    h.execute(sql.get("plan_generic"));
    return Framing.IN_TRANSACTION;
  }

  /** One row of a result. */
  @FunctionalInterface
  interface RowSink {
    void accept(ResultSet rs) throws SQLException;
  }

  /** Hands {@code sink} every row of every result set an executed statement returned. */
  static void eachRow(java.sql.PreparedStatement executed, RowSink sink) throws SQLException {
    while (true) {
      ResultSet rs = executed.getResultSet();
      if (rs != null) {
        try (rs) {
          while (rs.next()) {
            sink.accept(rs);
          }
        }
      } else if (executed.getUpdateCount() == -1) {
        return;
      }
      executed.getMoreResults();
    }
  }

  /** Adds the row to a batch of a statement that names it by its key (a delete, a mark). */
  static PreparedBatch addRow(PreparedBatch batch, String group, int topicId, Row r) {
    return batch
        .bind("group", group)
        .bind("topicId", topicId)
        .bind("partition", r.partition())
        .bind("offset", r.start())
        .add();
  }

  /** Adds the run row with its new {@code bits} to a batch of a statement that sets them. */
  static PreparedBatch addRun(
      PreparedBatch batch, String bits, String group, int topicId, Row run) {
    return addRow(batch.bind("bits", bits), group, topicId, run);
  }

  /** Runs each batch that has rows. */
  static void executeNonEmpty(PreparedBatch... batches) {
    for (PreparedBatch b : batches) {
      if (b.size() > 0) {
        b.execute();
      }
    }
  }
}
