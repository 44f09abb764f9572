package io.sluice.storage.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * Wake-ups across processes (issue 12.2), on databases whose dialect has them ({@link
 * Dialect#notifications()}) unless turned off in the configuration: a {@link Notifier} that signals
 * after commits, and one {@link PgListener}, both started with the store.
 *
 * <p>The channel is {@code sluice_<schema>} (the schema alone if that would pass 63 characters), so
 * stores of different schemas on one database never wake each other.
 */
public final class Wakeups implements AutoCloseable {
  private final Database db;
  private final DataSource dataSource;
  private final String channel;
  private final Notifier notifier;
  private final String id = Long.toHexString(new java.security.SecureRandom().nextLong());
  private final ReentrantLock lock = new ReentrantLock();
  private PgListener listener;
  private boolean closed;

  /**
   * Wake-ups on the schema's channel; the notifier rests {@code notifyInterval} after each send.
   */
  Wakeups(Database db, DataSource dataSource, String schema, Duration notifyInterval) {
    this.db = db;
    this.dataSource = dataSource;
    this.channel = ("sluice_" + schema).length() <= 63 ? "sluice_" + schema : schema;
    this.notifier = new Notifier(db, channel, id + ":", notifyInterval.toNanos());
    notifier.start();
  }

  /** After a commit: {@code topic} (or {@code "*"}: every topic) may have claimable messages. */
  public void signal(String topic) {
    notifier.signal(topic);
  }

  /**
   * Signals {@code topic} inside the handle's transaction (a transactional send on the caller's
   * connection): delivered when, and only if, that transaction commits.
   */
  public void signalInTransaction(Handle h, String topic) {
    h.createQuery(db.sql().get("notify_in_transaction"))
        .bind("channel", channel)
        .bind("topic", topic)
        .mapToMap()
        .list();
  }

  /**
   * Starts listening (once): each topic notified by another store (or by a committed transactional
   * send) goes to {@code onTopic}; this store's own notifications are dropped (its watchers heard
   * of those appends already). {@code onReconnect} runs after every reconnect.
   *
   * <p>Payloads are {@code <store id>:<topic>} from a store's notifier, {@code <topic>} from a
   * transactional send; a topic name never contains {@code ':'}.
   */
  public void listen(Consumer<String> onTopic, Runnable onReconnect) {
    lock.lock();
    try {
      if (listener != null || closed) {
        return;
      }
      String own = id + ":";
      Consumer<String> payloads =
          payload -> {
            if (!payload.startsWith(own)) {
              onTopic.accept(payload.substring(payload.indexOf(':') + 1));
            }
          };
      listener = new PgListener(this::connect, channel, payloads, onReconnect, db.target());
      listener.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A connection outside the pool when the pool's settings are known (a HikariCP pool: the store's
   * own, or the application's); otherwise one connection taken from the application's data source
   * and kept for listening.
   */
  private Connection connect() throws java.sql.SQLException {
    if (dataSource instanceof HikariDataSource h && h.getJdbcUrl() != null) {
      return DriverManager.getConnection(h.getJdbcUrl(), h.getUsername(), h.getPassword());
    }
    return dataSource.getConnection();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    if (listener != null) {
      listener.close();
    }
    notifier.close();
  }
}
