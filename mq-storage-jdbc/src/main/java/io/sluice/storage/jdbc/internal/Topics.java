package io.sluice.storage.jdbc.internal;

import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.TopicExistsException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.TopicInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** Topic rows and partition counters: create, grow, look up, describe. */
public final class Topics {
  /**
   * How long a topic row read for the hot paths (append, claim, ack) is reused. A partition count
   * grown by another process is seen after at most this long; growth in this process is seen at
   * once.
   */
  static final long CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  private record Cached(TopicRow row, long loadedAt) {}

  private final Statements sql;
  private final java.util.Map<String, Cached> cache =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Topics read and written with these statements. */
  public Topics(Statements sql) {
    this.sql = sql;
  }

  /** Like {@link #find}, but may reuse a row read up to {@link #CACHE_NANOS} ago. */
  public Optional<TopicRow> findCached(Handle h, String name) {
    Cached c = cache.get(name);
    long now = System.nanoTime();
    if (c != null && now - c.loadedAt() < CACHE_NANOS) {
      return Optional.of(c.row());
    }
    Optional<TopicRow> row = find(h, name);
    row.ifPresentOrElse(r -> cache.put(name, new Cached(r, now)), () -> cache.remove(name));
    return row;
  }

  /** Like {@link #require}, but may reuse a recently read row (see {@link #findCached}). */
  public TopicRow requireCached(Handle h, String name) {
    return findCached(h, name).orElseThrow(() -> new TopicNotFoundException(name));
  }

  /** Forgets the cached row of a topic. */
  public void forget(String name) {
    cache.remove(name);
  }

  /** The topic, if it exists. */
  public Optional<TopicRow> find(Handle h, String name) {
    return h.createQuery(sql.get("topic_by_name")).bind("name", name).map(Topics::row).findOne();
  }

  /** The topic, or {@link TopicNotFoundException}. */
  public TopicRow require(Handle h, String name) {
    return find(h, name).orElseThrow(() -> new TopicNotFoundException(name));
  }

  /** Every topic, by name. */
  public List<TopicRow> all(Handle h) {
    return h.createQuery(sql.get("topic_all")).map(Topics::row).list();
  }

  /**
   * Creates the topic or returns the existing one with an equal configuration.
   *
   * @throws TopicExistsException when it exists with another configuration
   * @throws RetryableConflict when a concurrent creator won the race (rerun the transaction)
   */
  public TopicRow create(Handle h, String name, TopicConfig config, Instant now) {
    Optional<TopicRow> existing = find(h, name);
    if (existing.isPresent()) {
      if (!existing.get().config().equals(config)) {
        throw new TopicExistsException(name, existing.get().config(), config);
      }
      return existing.get();
    }
    try {
      h.createUpdate(sql.get("topic_insert"))
          .bind("name", name)
          .bind("partitions", config.partitions())
          .bind("retentionMs", config.retention() == null ? null : config.retention().toMillis())
          .bind("retentionBytes", config.retentionBytes())
          .bind("retainUntilConsumed", config.retainUntilConsumed())
          .bind("dedupeWindowMs", config.dedupeWindow().toMillis())
          .bind("maxMessageBytes", config.maxMessageBytes())
          .bind("now", Database.ts(now))
          .execute();
    } catch (RuntimeException e) {
      if (Database.uniqueViolation(sql.dialect(), e)) {
        throw new RetryableConflict("topic " + name + " created concurrently", e);
      }
      throw e;
    }
    TopicRow row = require(h, name);
    addPartitions(h, row.id(), 0, config.partitions());
    return row;
  }

  /** Raises the partition count; returns the row with the new count. */
  public TopicRow grow(Handle h, String name, int partitions) {
    TopicRow row =
        h.createQuery(sql.get("topic_by_name_for_update"))
            .bind("name", name)
            .map(Topics::row)
            .findOne()
            .orElseThrow(() -> new TopicNotFoundException(name));
    int current = row.config().partitions();
    if (partitions < current) {
      throw new InvalidConfigException(
          "partitions of "
              + name
              + " never shrink: expected at least "
              + current
              + ", found "
              + partitions);
    }
    if (partitions == current) {
      return row;
    }
    addPartitions(h, row.id(), current, partitions);
    forget(name);
    h.createUpdate(sql.get("topic_set_partitions"))
        .bind("partitions", partitions)
        .bind("topicId", row.id())
        .execute();
    return new TopicRow(row.id(), name, row.config().withPartitions(partitions));
  }

  private void addPartitions(Handle h, int topicId, int from, int to) {
    PreparedBatch batch = h.prepareBatch(sql.get("partition_insert"));
    for (int p = from; p < to; p++) {
      batch.bind("topicId", topicId).bind("partition", p).add();
    }
    batch.execute();
  }

  /** The topic's configuration and partition ranges. */
  public TopicInfo info(Handle h, TopicRow row) {
    List<PartitionInfo> partitions =
        h.createQuery(sql.get("partition_ranges"))
            .bind("topicId", row.id())
            .map(Topics::range)
            .list();
    return new TopicInfo(row.name(), row.config(), partitions);
  }

  /** One partition's range, after checking the partition number. */
  public PartitionInfo range(Handle h, TopicRow row, int partition) {
    checkPartition(row, partition);
    return h.createQuery(sql.get("partition_range"))
        .bind("topicId", row.id())
        .bind("partition", partition)
        .map(Topics::range)
        .one();
  }

  /** Rejects a partition outside the topic. */
  public static void checkPartition(TopicRow row, int partition) {
    if (partition < 0 || partition >= row.config().partitions()) {
      throw new InvalidPartitionException(row.name(), partition, row.config().partitions());
    }
  }

  private static PartitionInfo range(ResultSet rs, StatementContext ctx) throws SQLException {
    long end = rs.getLong("next_offset");
    long first = rs.getLong("first_offset");
    long start = rs.wasNull() ? end : first;
    return new PartitionInfo(rs.getInt("partition_no"), start, end);
  }

  private static TopicRow row(ResultSet rs, StatementContext ctx) throws SQLException {
    long retentionMs = rs.getLong("retention_ms");
    Duration retention = rs.wasNull() ? null : Duration.ofMillis(retentionMs);
    TopicConfig config =
        new TopicConfig(
            rs.getInt("partitions"),
            retention,
            rs.getLong("retention_bytes"),
            rs.getBoolean("retain_until_consumed"),
            Duration.ofMillis(rs.getLong("dedupe_window_ms")),
            rs.getInt("max_message_bytes"));
    return new TopicRow(rs.getInt("id"), rs.getString("name"), config);
  }
}
