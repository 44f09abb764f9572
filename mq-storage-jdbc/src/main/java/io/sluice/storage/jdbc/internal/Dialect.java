package io.sluice.storage.jdbc.internal;

import io.sluice.api.error.InvalidConfigException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SQL databases this backend supports, with what each can and cannot do. The SQL itself lives
 * in {@code .sql} files per dialect (see {@link Statements}); these flags only steer the few places
 * where the Java code has to choose.
 */
public sealed interface Dialect permits PostgresDialect, H2Dialect {

  /** The backend name reported in {@link io.sluice.spi.Capabilities#name()}. */
  String name();

  /** The folder under {@code db/migration} with this dialect's Flyway migrations. */
  String migrationFolder();

  /**
   * Whether {@code FOR UPDATE SKIP LOCKED} skips rows locked by other transactions without waiting
   * (PostgreSQL; H2 since 2.2.220, with table-level differences documented in the README).
   */
  boolean skipLocked();

  /** Whether a failed statement aborts the whole transaction (PostgreSQL), not just itself (H2). */
  boolean failedStatementAbortsTransaction();

  /**
   * Whether the single-statement fast paths exist (PostgreSQL data-modifying CTEs): unkeyed append
   * and unordered claim of new messages, each one auto-commit statement.
   */
  boolean fastPaths();

  /** Whether a batch of acks is one {@code DELETE ... USING unnest(arrays)} statement. */
  boolean arrayAck();

  /**
   * Whether stores on this database can wake each other across processes (PostgreSQL {@code
   * LISTEN/NOTIFY}: statements {@code notify} and {@code notify_in_transaction}, and a listening
   * connection); without it, other processes find new messages by polling.
   */
  boolean notifications();

  /**
   * Whether {@code mq_messages.headers} holds JSON ({@code [[name, value], ...]}, readable in SQL;
   * PostgreSQL {@code jsonb}) rather than Sluice's binary encoding (H2). See {@link HeadersCodec}.
   */
  boolean jsonHeaders();

  /** The dialect of the database behind this connection. */
  static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    return switch (product) {
      case "PostgreSQL" -> PostgresDialect.INSTANCE;
      case "H2" -> H2Dialect.INSTANCE;
      default ->
          throw new InvalidConfigException(
              "unsupported database \"" + product + "\": expected PostgreSQL 13+ or H2 2.x");
    };
  }
}
