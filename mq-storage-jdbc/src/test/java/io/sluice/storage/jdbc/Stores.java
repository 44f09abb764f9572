package io.sluice.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import javax.sql.DataSource;

/** Builds stores for tests and empties a schema between tests. */
final class Stores {
  private static final String[] TABLES = {
    "mq_deliveries",
    "mq_cursors",
    "mq_pauses",
    "mq_processed",
    "mq_dedupe",
    "mq_messages",
    "mq_partitions",
    "mq_topics"
  };

  private Stores() {}

  /** A store on {@code ds} in {@code schema} with the given clock; no background retention. */
  static JdbcStorage open(DataSource ds, String schema, InstantSource clock) {
    return JdbcStorage.create(ds, config(schema, clock).build());
  }

  /** The configuration of {@link #open}, for a test to add to. */
  static JdbcStorageConfig.Builder config(String schema, InstantSource clock) {
    return JdbcStorageConfig.builder().schema(schema).clock(clock).retentionInterval(null);
  }

  /** Deletes every row of Sluice's tables in {@code schema} (which must exist). */
  static void empty(DataSource ds, String schema) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      String q = "MariaDB".equals(c.getMetaData().getDatabaseProductName()) ? "`" : "\"";
      for (String table : TABLES) {
        s.execute("DELETE FROM " + q + schema + q + "." + table);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static final Duration LEASE = Duration.ofSeconds(30);
}
