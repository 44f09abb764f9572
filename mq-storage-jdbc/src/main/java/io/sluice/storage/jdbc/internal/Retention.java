package io.sluice.storage.jdbc.internal;

import io.sluice.api.TopicConfig;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.PartitionInfo;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;

/**
 * Applies retention in bulk: per partition, a cutoff offset is computed (age, size, and with {@code
 * retainUntilConsumed} the lowest committed offset of any group), then everything below it is
 * deleted by primary-key range in chunks of {@value #CHUNK} offsets, each chunk its own short
 * transaction. Producers are never blocked: the partition counter row is not touched (the log start
 * is derived from the lowest remaining offset). Cursors below the cutoff move up to it and delivery
 * rows below it are dropped. Expired dedupe and processed keys are deleted per topic.
 */
public final class Retention {
  static final int CHUNK = 10_000;

  private final Database db;
  private final Topics topics;
  private final OffsetCommitter committer;
  private final DeliveryRows deliveryRows;

  /** Retention over this database. */
  public Retention(Database db, Topics topics, OffsetCommitter committer) {
    this.db = db;
    this.topics = topics;
    this.committer = committer;
    this.deliveryRows = new DeliveryRows(db.sql(), db.dialect().arrayAck());
  }

  /** Runs retention on every topic; returns the number of messages removed. */
  public long enforce() {
    return enforce(() -> false);
  }

  /**
   * Runs retention on every topic until {@code stop} says so (checked before each topic and each
   * partition, so a closing store waits for one partition's pass at most); returns the number of
   * messages removed.
   */
  public long enforce(BooleanSupplier stop) {
    Statements sql = db.sql();
    List<TopicRow> rows = db.tx("retention", topics::all);
    long removed = 0;
    for (TopicRow row : rows) {
      if (stop.getAsBoolean()) {
        return removed;
      }
      Instant now = db.now();
      db.tx(
          "retention",
          h -> {
            Instant cutoff = now.minus(row.config().dedupeWindow());
            h.createUpdate(sql.get("dedupe_expire"))
                .bind("topicId", row.id())
                .bind("cutoff", Database.ts(cutoff))
                .execute();
            return h.createUpdate(sql.get("processed_expire"))
                .bind("topicId", row.id())
                .bind("cutoff", Database.ts(cutoff))
                .execute();
          });
      if (row.config().retention() == null && row.config().retentionBytes() == 0) {
        continue;
      }
      List<PartitionInfo> ranges = db.tx("retention", h -> topics.info(h, row).partitions());
      for (PartitionInfo range : ranges) {
        if (stop.getAsBoolean()) {
          return removed;
        }
        long cutoff = db.tx("retention", h -> cutoff(h, row, range, now));
        removed += deleteBelow(row, range, cutoff);
      }
    }
    return removed;
  }

  private long cutoff(Handle h, TopicRow row, PartitionInfo range, Instant now) {
    TopicConfig config = row.config();
    long cutoff = range.logStartOffset();
    if (config.retention() != null) {
      Long first =
          h.createQuery(db.sql().get("retention_time_cutoff"))
              .bind("topicId", row.id())
              .bind("partition", range.partition())
              .bind("cutoff", Database.ts(now.minus(config.retention())))
              .mapTo(Long.class)
              .one();
      cutoff = Math.max(cutoff, first == null ? range.endOffset() : first);
    }
    if (config.retentionBytes() > 0) {
      Long last =
          h.createQuery(db.sql().get("retention_bytes_cutoff"))
              .bind("topicId", row.id())
              .bind("partition", range.partition())
              .bind("limit", config.retentionBytes())
              .mapTo(Long.class)
              .one();
      if (last != null) {
        cutoff = Math.max(cutoff, last + 1);
      }
    }
    if (config.retainUntilConsumed()) {
      for (String group : committer.groups(h, row)) {
        for (GroupPartition gp : committer.groupState(h, group, row)) {
          if (gp.partition() == range.partition()) {
            cutoff = Math.min(cutoff, gp.committedOffset());
          }
        }
      }
    }
    return Math.max(range.logStartOffset(), Math.min(cutoff, range.endOffset()));
  }

  /** Splits the run rows (of any group) holding offsets on both sides of the cutoff. */
  private void splitStraddling(Handle h, TopicRow row, int partition, long cutoff) {
    List<java.util.Map.Entry<String, DeliveryRows.Row>> runs =
        h.createQuery(db.sql().get("delivery_straddling"))
            .bind("topicId", row.id())
            .bind("partition", partition)
            .bind("cutoff", cutoff)
            .map(
                (rs, ctx) ->
                    java.util.Map.entry(rs.getString("group_name"), DeliveryRows.Row.read(rs, ctx)))
            .list();
    for (java.util.Map.Entry<String, DeliveryRows.Row> e : runs) {
      deliveryRows.explode(h, e.getKey(), row.id(), e.getValue().partition(), e.getValue().start());
    }
  }

  private long deleteBelow(TopicRow row, PartitionInfo range, long cutoff) {
    long removed = 0;
    for (long from = range.logStartOffset(); from < cutoff; from += CHUNK) {
      long start = from;
      long to = Math.min(cutoff, from + CHUNK);
      removed +=
          db.tx(
              "retention",
              h ->
                  h.createUpdate(db.sql().get("message_delete_range"))
                      .bind("topicId", row.id())
                      .bind("partition", range.partition())
                      .bind("from", start)
                      .bind("to", to)
                      .execute());
    }
    if (cutoff > range.logStartOffset()) {
      db.tx(
          "retention",
          h -> {
            splitStraddling(h, row, range.partition(), cutoff);
            h.createUpdate(db.sql().get("cursor_raise"))
                .bind("topicId", row.id())
                .bind("partition", range.partition())
                .bind("cutoff", cutoff)
                .execute();
            return h.createUpdate(db.sql().get("delivery_delete_below"))
                .bind("topicId", row.id())
                .bind("partition", range.partition())
                .bind("cutoff", cutoff)
                .execute();
          });
    }
    return removed;
  }
}
