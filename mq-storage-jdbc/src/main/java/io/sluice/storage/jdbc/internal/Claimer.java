package io.sluice.storage.jdbc.internal;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.internal.Validation;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Claims messages for a group in one transaction. Its first statement takes the fencing-token base
 * and probes the group's pause ({@code claim_start}); a paused group gets nothing. Then, each step
 * with {@code FOR UPDATE SKIP LOCKED} so that concurrent members never wait for each other and
 * never get the same message:
 *
 * <ol>
 *   <li><b>Ready rows</b> of {@code mq_deliveries}: expired leases and retries whose delay passed
 *       (index {@code (group_name, topic_id, visible_at)}), re-granted with a new token (see {@link
 *       Regrants}). Under {@code KEY_ORDERED} also held rows whose key became free.
 *   <li><b>New messages</b>: one partition at a time, the group's cursor row is locked (skipping
 *       partitions another member is claiming from), the next messages at or after the cursor are
 *       read, a delivery row is inserted for each, and the cursor moves past them. Delayed messages
 *       and, under {@code KEY_ORDERED}, messages of a key that still has a row become waiting or
 *       held rows, and the scan goes on past them (up to {@value #SCAN_LIMIT} messages per claim),
 *       so a blocked key never starves the others.
 * </ol>
 *
 * <p>The PostgreSQL fast path for unordered groups ({@link #claimNewFast}) does step 2 in
 * auto-commit statements that each take several partitions at once.
 *
 * <p>A claim counts no attempt unless asked to ({@link ClaimRequest#start()}: the fast path writes
 * its rows started, and {@code Engine} marks what the general claim took in its transaction): a
 * lease's attempt is the attempts counted before it plus one.
 *
 * <p>Because appends commit in offset order per partition (see {@link Appender}), the messages a
 * claim can see beyond the cursor are always a dense prefix: the cursor never passes a message that
 * commits later.
 */
public final class Claimer {
  /** How many messages one claim reads past delayed and held ones at most. */
  static final int SCAN_LIMIT = 10_000;

  /**
   * The most offsets one run row holds. Smaller runs let markStarted and ack calls of one claim's
   * messages, which the runtime sends from different threads, lock different rows (an ack batch
   * holds older offsets than the starts being marked); larger ones write fewer rows per claim.
   */
  static final int RUN_MAX = 128;

  /** The largest number of messages read per statement while scanning a partition. */
  private static final int MAX_CHUNK = 1_000;

  private final Statements sql;
  private final Topics topics;
  private final Cursors cursors;
  private final Regrants regrants;
  private final AtomicInteger rotation = new AtomicInteger();

  /** A claimer using these statements. */
  public Claimer(Statements sql, Topics topics, Cursors cursors, boolean arrays) {
    this.sql = sql;
    this.topics = topics;
    this.cursors = cursors;
    this.regrants = new Regrants(sql, new DeliveryRows(sql, arrays));
  }

  /**
   * Claims new messages for an unordered group with auto-commit statements (PostgreSQL), each
   * taking as many partitions as the backlogs say it needs for what is still wanted; another runs
   * only when a cursor was held by another member or the wanted count is not reached. Returns null,
   * having changed nothing, when the group has deliveries due again or this process has not yet
   * seen its cursors (the first claim checks the pause before it creates them at the start
   * position): then run {@link #claim} in a transaction.
   */
  public List<Lease> claimNewFast(Handle h, ClaimRequest r, Instant now) {
    TopicRow row = topics.requireCached(h, r.topic());
    if (!cursors.known(r.group(), row)) {
      return null;
    }
    int partitions = row.config().partitions();
    int start = Math.floorMod(rotation.getAndIncrement(), partitions);
    Instant until = Database.plus(now, r.lease());
    List<Lease> leases = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    while (leases.size() < r.maxMessages() && taken.size() < partitions) {
      int max = r.maxMessages() - leases.size();
      List<FastRow> rows =
          h.createQuery(sql.get("claim_new_unordered"))
              .bind("group", r.group())
              .bind("topic", r.topic())
              .bind("topicId", row.id())
              .bindArray("taken", Integer.class, taken)
              .bind("rotation", partitions - start)
              .bind("partitions", partitions)
              .bind("max", max)
              .bind("now", Database.ts(now))
              .bind("until", Database.ts(until))
              .bind("runMax", RUN_MAX)
              .bind("start", r.start())
              .map((rs, ctx) -> FastRow.read(rs, ctx, row.name()))
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
        if (!taken.contains(m.partition())) {
          taken.add(m.partition());
        }
      }
      if (rows.get(0).allLocked() && rows.size() < max) {
        break; // every partition with messages gave what it had
      }
    }
    return sorted(leases);
  }

  /**
   * One row of {@code claim_new_unordered}: a message (or none), the due-waiting flag and whether
   * every cursor the statement wanted was free.
   */
  private record FastRow(
      StoredMessage message, boolean due, long token, boolean dueWaiting, boolean allLocked) {
    static FastRow read(
        java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx, String topic)
        throws java.sql.SQLException {
      boolean waiting = rs.getBoolean("due_waiting");
      boolean allLocked = rs.getBoolean("all_locked");
      int partition = rs.getInt("partition_no");
      if (rs.wasNull()) {
        return new FastRow(null, false, 0, waiting, allLocked);
      }
      return new FastRow(
          MessageRows.read(rs, ctx, topic, partition),
          rs.getBoolean("due"),
          rs.getLong("token"),
          waiting,
          allLocked);
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
    Start start =
        h.createQuery(sql.get("claim_start"))
            .bind("group", r.group())
            .bind("topic", r.topic())
            .bind("topicId", row.id())
            .map(
                (rs, ctx) ->
                    new Start(
                        rs.getLong("claim_no"), rs.getBoolean("paused"), rs.getBoolean("has_held")))
            .one();
    if (start.paused()) {
      return List.of();
    }
    cursors.ensure(h, r.group(), row, r.startPosition());
    Grant g = new Grant(r.group(), row, start.claimNo(), now, Database.plus(now, r.lease()));
    boolean keyOrdered = r.ordering() == Ordering.KEY_ORDERED;
    int max = r.maxMessages();
    List<Lease> leases = new ArrayList<>(regrant(h, g, start.hasHeld(), keyOrdered, max));
    if (leases.size() < max) {
      leases.addAll(claimNew(h, g, max - leases.size(), keyOrdered));
    }
    return sorted(leases);
  }

  /** What {@code claim_start} returns: the token base, the pause, whether held rows exist. */
  private record Start(long claimNo, boolean paused, boolean hasHeld) {}

  /**
   * Step 1: rows due again. Under {@code KEY_ORDERED} also held rows whose key became free; an
   * unordered claim first turns a group's held rows (left by earlier KEY_ORDERED claims) into
   * waiting rows, so they are never stranded.
   */
  private List<Lease> regrant(Handle h, Grant g, boolean hasHeld, boolean keyOrdered, int max) {
    if (keyOrdered) {
      List<Lease> leases = new ArrayList<>(regrants.grant(h, g, "claim_ready_key_ordered", max));
      if (hasHeld && leases.size() < max) {
        leases.addAll(regrants.grantHeldHeads(h, g, max - leases.size()));
      }
      return leases;
    }
    if (hasHeld) {
      h.createUpdate(sql.get("delivery_unhold"))
          .bind("group", g.group())
          .bind("topicId", g.row().id())
          .bind("now", Database.ts(g.now()))
          .execute();
    }
    return regrants.grant(h, g, "claim_ready", max);
  }

  private List<Lease> claimNew(Handle h, Grant g, int wanted, boolean keyOrdered) {
    List<Lease> leases = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    int partitions = g.row().config().partitions();
    int start = Math.floorMod(rotation.getAndIncrement(), partitions);
    boolean wrap = !sql.dialect().sortedSkipLockedLocksOnlyReturnedRows();
    while (leases.size() < wanted) {
      Map.Entry<Integer, Long> cursor = lockNext(h, g, "cursor_lock_next", taken, start);
      if (cursor == null && wrap) {
        cursor = lockNext(h, g, "cursor_lock_next_wrap", taken, start);
      }
      if (cursor == null) {
        break;
      }
      taken.add(cursor.getKey());
      leases.addAll(
          fromPartition(
              h, g, cursor.getKey(), cursor.getValue(), wanted - leases.size(), keyOrdered));
    }
    return leases;
  }

  /** Locks the next cursor with messages beyond it (see {@code cursor_lock_next}), or null. */
  private Map.Entry<Integer, Long> lockNext(
      Handle h, Grant g, String statement, List<Integer> taken, int start) {
    int partitions = g.row().config().partitions();
    return h.createQuery(sql.get(statement))
        .bind("group", g.group())
        .bind("topicId", g.row().id())
        .bindArray("taken", Integer.class, taken)
        .bind("rotation", partitions - start)
        .bind("partitions", partitions)
        .map((rs, ctx) -> Map.entry(rs.getInt("partition_no"), rs.getLong("next_offset")))
        .findOne()
        .orElse(null);
  }

  /**
   * Reads the partition from {@code from} in growing chunks until {@code wanted} messages are
   * leased, the partition ends or {@link #SCAN_LIMIT} messages were read; inserts a delivery row
   * for each message passed (leased, delayed or held) and moves the cursor past the last one.
   */
  private List<Lease> fromPartition(
      Handle h, Grant g, int partition, long from, int wanted, boolean keyOrdered) {
    List<Lease> leases = new ArrayList<>();
    PreparedBatch insert = h.prepareBatch(sql.get("delivery_insert"));
    Set<String> heldKeys = new HashSet<>();
    long next = from;
    long[] run = null; // start, span, token of the run of leased messages being built
    int chunk = wanted;
    while (leases.size() < wanted && next - from < SCAN_LIMIT) {
      List<StoredMessage> messages = range(h, g.row(), partition, next, chunk);
      if (keyOrdered) {
        heldKeys.addAll(keysWithRows(h, g, partition, messages, heldKeys));
      }
      for (StoredMessage m : messages) {
        if (leases.size() == wanted) {
          break;
        }
        Lease lease;
        if (!keyOrdered && !delayed(g, m)) {
          lease = g.lease(m, g.nextToken(), 0, g.now());
          if (run == null || run[0] + run[1] != m.offset() || run[1] == RUN_MAX) {
            addRun(insert, g, partition, run);
            run = new long[] {m.offset(), 0, lease.id().token()};
          }
          run[1]++;
        } else {
          addRun(insert, g, partition, run);
          run = null;
          lease = insert(insert, g, m, keyOrdered, heldKeys);
        }
        if (lease != null) {
          leases.add(lease);
        }
        next = m.offset() + 1;
      }
      if (messages.size() < chunk) {
        break;
      }
      chunk = Math.min(chunk * 2, MAX_CHUNK);
    }
    if (next == from) {
      return List.of();
    }
    addRun(insert, g, partition, run);
    insert.execute();
    h.createUpdate(sql.get("cursor_advance"))
        .bind("next", next)
        .bind("group", g.group())
        .bind("topicId", g.row().id())
        .bind("partition", partition)
        .execute();
    return leases;
  }

  private List<StoredMessage> range(Handle h, TopicRow row, int partition, long from, int max) {
    return h.createQuery(sql.get("message_range"))
        .bind("topicId", row.id())
        .bind("partition", partition)
        .bind("from", from)
        .bind("max", max)
        .map((rs, ctx) -> MessageRows.read(rs, ctx, row.name(), partition))
        .list();
  }

  private static boolean delayed(Grant g, StoredMessage m) {
    Instant at = m.message().deliverAt();
    return at != null && at.isAfter(g.now());
  }

  /**
   * Adds the row of a run of consecutive leased messages of an unordered claim ({@code start, span,
   * token}; null: nothing to add): one row for the whole run, token of offset {@code start + i} =
   * {@code token + i} (see {@link DeliveryRows}).
   */
  private static void addRun(PreparedBatch insert, Grant g, int partition, long[] run) {
    if (run == null) {
      return;
    }
    insert
        .bind("group", g.group())
        .bind("topicId", g.row().id())
        .bind("partition", partition)
        .bind("offset", run[0])
        .bind("key", (String) null)
        .bind("token", run[2])
        .bind("leased", true)
        .bind("held", false)
        .bind("visibleAt", Database.ts(g.until()))
        .bind("firstDeliveredAt", Database.ts(g.now()))
        .bind("span", (int) run[1])
        .add();
  }

  /**
   * Adds the delivery row of one message passed by the claim and returns its lease, or null when it
   * waits: for its {@code deliverAt}, or (held) for an earlier message of its key. Under {@code
   * KEY_ORDERED} the row keeps the key, and the key then holds back its later messages.
   */
  private static Lease insert(
      PreparedBatch insert, Grant g, StoredMessage m, boolean keyOrdered, Set<String> heldKeys) {
    Message msg = m.message();
    boolean delayed = delayed(g, m);
    String key = keyOrdered ? msg.key() : null;
    boolean held = key != null && !heldKeys.add(key);
    boolean lease = !delayed && !held;
    long token = lease ? g.nextToken() : 0L;
    Instant visibleAt = held ? Validation.MAX_INSTANT : lease ? g.until() : msg.deliverAt();
    insert
        .bind("group", g.group())
        .bind("topicId", g.row().id())
        .bind("partition", m.partition())
        .bind("offset", m.offset())
        .bind("key", key)
        .bind("token", token)
        .bind("leased", lease)
        .bind("held", held)
        .bind("visibleAt", Database.ts(visibleAt))
        .bind("firstDeliveredAt", Database.ts(lease ? g.now() : null))
        .bind("span", 1)
        .add();
    return lease ? g.lease(m, token, 0, g.now()) : null;
  }

  /** The keys among these messages' (not yet known to be held) that still have a delivery row. */
  private List<String> keysWithRows(
      Handle h, Grant g, int partition, List<StoredMessage> messages, Set<String> known) {
    Set<String> keys = new HashSet<>();
    for (StoredMessage m : messages) {
      String key = m.message().key();
      if (key != null && !known.contains(key)) {
        keys.add(key);
      }
    }
    if (keys.isEmpty()) {
      return List.of();
    }
    return h.createQuery(sql.get("delivery_keys"))
        .bind("group", g.group())
        .bind("topicId", g.row().id())
        .bind("partition", partition)
        .bindArray("keys", String.class, keys)
        .mapTo(String.class)
        .list();
  }
}
