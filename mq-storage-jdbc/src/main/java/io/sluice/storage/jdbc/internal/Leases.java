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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Changes leases without completing them: marks them started (an attempt counted), releases them
 * and extends them. Every statement is fenced like an ack: it matches the delivery's token and an
 * unexpired lease ({@code leased} and {@code visible_at > now}), so a stale id changes nothing.
 *
 * <p><b>Attempts.</b> {@code attempts} counts handler runs: {@link #markStarted} adds one per lease
 * (the {@code started} flag makes a second mark a no-op; every grant clears it), a release of a
 * failed attempt adds one if the lease was not marked, and a release of a delivery handed back
 * unprocessed takes back the one its lease counted.
 */
public final class Leases {
  private final Statements sql;
  private final Topics topics;

  /** Leases changed with these statements. */
  public Leases(Statements sql, Topics topics) {
    this.sql = sql;
    this.topics = topics;
  }

  /**
   * Counts an attempt for each current lease among {@code ids}, once per lease, with one statement
   * for the whole call; lists the others as rejected. An id repeated in the call is applied (or
   * rejected) each time it appears.
   */
  public BatchResult markStarted(Handle h, String group, List<DeliveryId> ids, Instant now) {
    Map<String, Optional<TopicRow>> rows = new HashMap<>();
    List<DeliveryId> known = new ArrayList<>();
    List<DeliveryId> rejected = new ArrayList<>();
    for (DeliveryId id : ids) {
      Optional<TopicRow> row = rows.computeIfAbsent(id.topic(), t -> topics.findCached(h, t));
      (row.isPresent() ? known : rejected).add(id);
    }
    Set<String> marked = known.isEmpty() ? Set.of() : mark(h, group, rows, known, now);
    int applied = 0;
    for (DeliveryId id : known) {
      if (marked.contains(key(rows.get(id.topic()).orElseThrow().id(), id))) {
        applied++;
      } else {
        rejected.add(id);
      }
    }
    return new BatchResult(applied, rejected);
  }

  private Set<String> mark(
      Handle h,
      String group,
      Map<String, Optional<TopicRow>> rows,
      List<DeliveryId> ids,
      Instant now) {
    int n = ids.size();
    Integer[] topicIds = new Integer[n];
    Integer[] partitions = new Integer[n];
    Long[] offsets = new Long[n];
    Long[] tokens = new Long[n];
    for (int i = 0; i < n; i++) {
      DeliveryId id = ids.get(i);
      topicIds[i] = rows.get(id.topic()).orElseThrow().id();
      partitions[i] = id.partition();
      offsets[i] = id.offset();
      tokens[i] = id.token();
    }
    Set<String> marked = new HashSet<>();
    h.createQuery(sql.get("delivery_start_many"))
        .bind("group", group)
        .bindArray("topicIds", Integer.class, (Object[]) topicIds)
        .bindArray("partitions", Integer.class, (Object[]) partitions)
        .bindArray("offsets", Long.class, (Object[]) offsets)
        .bindArray("tokens", Long.class, (Object[]) tokens)
        .bind("now", Database.ts(now))
        .map(
            (rs, ctx) ->
                rs.getInt("topic_id")
                    + "/"
                    + rs.getInt("partition_no")
                    + "@"
                    + rs.getLong("msg_offset")
                    + "#"
                    + rs.getLong("token"))
        .forEach(marked::add);
    return marked;
  }

  private static String key(int topicId, DeliveryId id) {
    return topicId + "/" + id.partition() + "@" + id.offset() + "#" + id.token();
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
    for (DeliveryId id : ids) {
      Optional<TopicRow> row = rows.computeIfAbsent(id.topic(), t -> topics.findCached(h, t));
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
