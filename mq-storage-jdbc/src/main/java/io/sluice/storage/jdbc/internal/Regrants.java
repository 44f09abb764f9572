package io.sluice.storage.jdbc.internal;

import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Grants new leases on rows of {@code mq_deliveries} that a claim query found and locked ({@code
 * FOR UPDATE SKIP LOCKED}): expired leases, retries and delayed messages whose time came ({@code
 * claim_ready}), and under {@code KEY_ORDERED} held messages whose key is free (found by {@code
 * held_heads}, then locked by primary key with {@code held_lock}, so that the plan never depends on
 * table statistics). A grant counts no attempt: the lease's attempt is the attempts counted so far
 * plus one.
 */
final class Regrants {
  private final Statements sql;
  private final DeliveryRows deliveryRows;

  Regrants(Statements sql, DeliveryRows deliveryRows) {
    this.sql = sql;
    this.deliveryRows = deliveryRows;
  }

  private record Row(int partition, long offset, int span, int attempts, Instant firstDelivered) {}

  private static Row row(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new Row(
        rs.getInt("partition_no"),
        rs.getLong("msg_offset"),
        rs.getInt("span"),
        rs.getInt("attempts"),
        Database.instant(rs, "first_delivered_at", ctx));
  }

  /**
   * The rows to grant, at most {@code max}: a run row among them (a lease of many offsets that
   * expired) is split into one row per offset not yet acked first, each with the attempts it
   * counted; those beyond {@code max} stay due for the next claims.
   */
  private List<Row> singles(Handle h, Grant g, List<Row> rows, int max) {
    List<Row> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      if (out.size() >= max) {
        break;
      }
      if (r.span() == 1) {
        out.add(r);
        continue;
      }
      for (DeliveryRows.Row s :
          deliveryRows.explode(h, g.group(), g.row().id(), r.partition(), r.offset())) {
        if (out.size() < max) {
          out.add(new Row(s.partition(), s.start(), 1, s.attempts(), s.firstDelivered()));
        }
      }
    }
    return out;
  }

  /**
   * Runs the named query (which locks the rows it returns), grants a lease on each row and returns
   * the leases.
   */
  List<Lease> grant(Handle h, Grant g, String query, int max) {
    List<Row> rows =
        h.createQuery(sql.get(query))
            .bind("group", g.group())
            .bind("topicId", g.row().id())
            .bind("now", Database.ts(g.now()))
            .bind("max", max)
            .map(Regrants::row)
            .list();
    return grant(h, g, singles(h, g, rows, max));
  }

  /** Grants leases on held rows whose key became free (KEY_ORDERED). */
  List<Lease> grantHeldHeads(Handle h, Grant g, int max) {
    Map<Integer, List<Long>> heads = new TreeMap<>();
    h.createQuery(sql.get("held_heads"))
        .bind("group", g.group())
        .bind("topicId", g.row().id())
        .bind("now", Database.ts(g.now()))
        .bind("max", max)
        .map((rs, ctx) -> Map.entry(rs.getInt("partition_no"), rs.getLong("msg_offset")))
        .forEach(e -> heads.computeIfAbsent(e.getKey(), p -> new ArrayList<>()).add(e.getValue()));
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Integer, List<Long>> e : heads.entrySet()) {
      h.createQuery(sql.get("held_lock"))
          .bind("group", g.group())
          .bind("topicId", g.row().id())
          .bind("partition", e.getKey())
          .bindArray("offsets", Long.class, e.getValue())
          .map(Regrants::row)
          .forEach(rows::add);
    }
    return grant(h, g, rows);
  }

  /** Grants a lease on each locked row. Rows whose message retention removed are left alone. */
  private List<Lease> grant(Handle h, Grant g, List<Row> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    PreparedBatch update = h.prepareBatch(sql.get("delivery_grant"));
    Map<Integer, List<Row>> byPartition = new TreeMap<>();
    Map<Row, Long> tokens = new HashMap<>();
    for (Row d : rows) {
      long token = g.nextToken();
      tokens.put(d, token);
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
    List<Lease> leases = new ArrayList<>(rows.size());
    for (Map.Entry<Integer, List<Row>> e : byPartition.entrySet()) {
      Map<Long, StoredMessage> messages = messagesAt(h, g.row(), e.getKey(), e.getValue());
      for (Row d : e.getValue()) {
        StoredMessage m = messages.get(d.offset());
        if (m != null) {
          leases.add(g.lease(m, tokens.get(d), d.attempts(), d.firstDelivered()));
        }
      }
    }
    return leases;
  }

  /** The messages at exactly these offsets of one partition (primary-key probes). */
  private Map<Long, StoredMessage> messagesAt(
      Handle h, TopicRow row, int partition, List<Row> rows) {
    Long[] offsets = rows.stream().map(Row::offset).toArray(Long[]::new);
    Map<Long, StoredMessage> out = new HashMap<>();
    h.createQuery(sql.get("message_at"))
        .bind("topicId", row.id())
        .bind("partition", partition)
        .bindArray("offsets", Long.class, (Object[]) offsets)
        .map((rs, ctx) -> MessageRows.read(rs, ctx, row.name(), partition))
        .forEach(m -> out.put(m.offset(), m));
    return out;
  }
}
