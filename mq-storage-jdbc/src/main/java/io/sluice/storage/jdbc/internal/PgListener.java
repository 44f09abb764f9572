package io.sluice.storage.jdbc.internal;

import io.sluice.api.internal.LoopService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for other stores' wake-ups on one dedicated PostgreSQL connection outside the pool (issue
 * 12.2): {@code LISTEN} on the schema's channel, then each notification's topic goes to {@code
 * onTopic}. Only ever loaded on PostgreSQL (it uses the driver's {@link PGConnection}).
 *
 * <p><b>While the connection is down</b> (server restart, a pooler that drops it, network): it
 * reconnects with a backoff from 100 ms to 5 s, and meanwhile consumers find new messages by
 * polling, as without notifications. After each reconnect it calls {@code onReconnect}, which wakes
 * every watcher once, for whatever was appended while nobody listened.
 */
final class PgListener extends LoopService {
  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  private static final int POLL_MILLIS = 250;

  /** Opens the listening connection. */
  interface Connector {
    Connection open() throws SQLException;
  }

  private final Connector connector;
  private final String channel;
  private final Consumer<String> onTopic;
  private final Runnable onReconnect;
  private final String target;
  private Connection connection;
  private long backoff = 100;
  private boolean connectedBefore;

  PgListener(
      Connector connector,
      String channel,
      Consumer<String> onTopic,
      Runnable onReconnect,
      String target) {
    super("sluice-listen");
    this.connector = connector;
    this.channel = channel;
    this.onTopic = onTopic;
    this.onReconnect = onReconnect;
    this.target = target;
  }

  @Override
  protected void runOnce() throws InterruptedException {
    if (connection == null && !connect()) {
      waitFor(backoff);
      backoff = Math.min(backoff * 2, 5_000);
      return;
    }
    try {
      PGNotification[] received =
          connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
      if (received != null) {
        for (PGNotification n : received) {
          onTopic.accept(n.getParameter());
        }
      }
    } catch (SQLException e) {
      LOG.warn("listening on {} failed, reconnecting; consumers poll meanwhile", target, e);
      disconnect();
    }
  }

  private boolean connect() {
    try {
      connection = connector.open();
      connection.setAutoCommit(true);
      try (Statement s = connection.createStatement()) {
        s.execute("LISTEN \"" + channel + "\"");
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("cannot listen on {} yet", target, e);
      disconnect();
      return false;
    }
    backoff = 100;
    if (connectedBefore) {
      onReconnect.run();
    }
    connectedBefore = true;
    return true;
  }

  private void disconnect() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the listening connection to {} failed", target, e);
      }
      connection = null;
    }
  }

  @Override
  protected void afterLoop() {
    disconnect();
  }
}
