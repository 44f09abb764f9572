package io.sluice.storage.jdbc.internal;

import io.sluice.api.Position;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.PartitionInfo;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * A group's claim cursor per partition ({@code mq_cursors}): every offset below it has been handed
 * out at least once. Rows are created on a group's first claim or seek, at the start position.
 */
public final class Cursors {
  private final Statements sql;
  private final Topics topics;
  private final Set<String> complete = ConcurrentHashMap.newKeySet();

  /** Cursors read and written with these statements. */
  public Cursors(Statements sql, Topics topics) {
    this.sql = sql;
    this.topics = topics;
  }

  /**
   * Whether this process has seen the group's cursors in every partition of the topic committed
   * (then {@link #ensure} has nothing to do).
   */
  public boolean known(String group, TopicRow row) {
    return complete.contains(cacheKey(group, row));
  }

  private static String cacheKey(String group, TopicRow row) {
    return row.id() + "/" + row.config().partitions() + "/" + group;
  }

  /**
   * Makes sure the group has a cursor in every partition of the topic, creating missing ones at
   * {@code start}. Cheap after the first call per group, topic and partition count.
   */
  public void ensure(Handle h, String group, TopicRow row, Position start) {
    String cacheKey = cacheKey(group, row);
    if (complete.contains(cacheKey)) {
      return;
    }
    Set<Integer> present =
        new HashSet<>(
            h.createQuery(sql.get("cursor_partitions"))
                .bind("group", group)
                .bind("topicId", row.id())
                .mapTo(Integer.class)
                .list());
    for (int p = 0; p < row.config().partitions(); p++) {
      if (!present.contains(p)) {
        long offset = resolve(h, row, p, start, false);
        try {
          h.createUpdate(sql.get("cursor_insert"))
              .bind("group", group)
              .bind("topicId", row.id())
              .bind("partition", p)
              .bind("offset", offset)
              .execute();
        } catch (RuntimeException e) {
          if (Database.uniqueViolation(sql.dialect(), e)) {
            throw new RetryableConflict("cursor of " + group + " created concurrently", e);
          }
          throw e;
        }
      }
    }
    if (present.size() == row.config().partitions()) {
      // Only rows already committed are cached as complete: rows inserted just now may yet be
      // rolled back with this transaction.
      complete.add(cacheKey);
    }
  }

  /**
   * The offset a position names in one partition. With {@code strict}, an explicit offset outside
   * the retained range is an error; otherwise it is clamped into the range.
   */
  public long resolve(Handle h, TopicRow row, int partition, Position position, boolean strict) {
    PartitionInfo range = topics.range(h, row, partition);
    return switch (position) {
      case Position.Earliest e -> range.logStartOffset();
      case Position.Latest l -> range.endOffset();
      case Position.Offset o -> {
        if (o.offset() < range.logStartOffset() || o.offset() > range.endOffset()) {
          if (strict) {
            throw new OffsetOutOfRangeException(
                row.name(), partition, o.offset(), range.logStartOffset(), range.endOffset());
          }
          yield Math.max(range.logStartOffset(), Math.min(o.offset(), range.endOffset()));
        }
        yield o.offset();
      }
      case Position.Timestamp t -> {
        Long first =
            h.createQuery(sql.get("message_first_at_or_after"))
                .bind("topicId", row.id())
                .bind("partition", partition)
                .bind("timestamp", Database.ts(t.timestamp()))
                .mapTo(Long.class)
                .one();
        yield first == null ? range.endOffset() : Math.max(first, range.logStartOffset());
      }
    };
  }
}
