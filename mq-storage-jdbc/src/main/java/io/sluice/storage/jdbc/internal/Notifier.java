package io.sluice.storage.jdbc.internal;

import io.sluice.api.internal.LoopService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the cross-process wake-ups ({@code pg_notify}) after appends have committed, from a
 * background thread with its own auto-commit statement (issue 12.2). A producer only adds its topic
 * to a set (one concurrent-set insert; the thread is woken only when the topic was not pending), so
 * appends never take PostgreSQL's notification queue lock in their commit and never wait for a
 * notification. Per round the thread sends one statement for every pending topic, then rests {@code
 * debounce}: a topic appended to a thousand times in that time is notified once.
 *
 * <p>A lost notification (the send failed, the server restarted) costs latency, never messages:
 * consumers still poll.
 */
final class Notifier extends LoopService {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  private final Database db;
  private final String channel;
  private final String prefix;
  private final long debounceNanos;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  /** A notifier on {@code channel} whose payloads are {@code prefix + topic}. */
  Notifier(Database db, String channel, String prefix, long debounceNanos) {
    super("sluice-notify");
    this.db = db;
    this.channel = channel;
    this.prefix = prefix;
    this.debounceNanos = debounceNanos;
  }

  /** Notes that {@code topic} (or {@code "*"}: every topic) may have claimable messages. */
  void signal(String topic) {
    if (pending.add(topic)) {
      wake();
    }
  }

  @Override
  protected void runOnce() throws InterruptedException {
    if (pending.isEmpty()) {
      waitFor(1_000);
      return;
    }
    List<String> topics = new ArrayList<>(pending);
    pending.removeAll(topics);
    List<String> payloads = new ArrayList<>(topics.size());
    topics.forEach(t -> payloads.add(prefix + t));
    try {
      db.autoCommit(
          "notify",
          h ->
              h.createQuery(db.sql().get("notify"))
                  .bind("channel", channel)
                  .bindArray("topics", String.class, payloads)
                  .mapToMap()
                  .list());
    } catch (RuntimeException e) {
      LOG.debug("notifying {} on {} failed; consumers will poll", topics, db.target(), e);
    }
    LockSupport.parkNanos(debounceNanos);
  }

  @Override
  protected void afterLoop() {
    pending.clear();
  }
}
