package io.sluice.storage.jdbc.internal;

import io.sluice.api.error.InvalidConfigException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The SQL databases this backend supports, with what each can and cannot do. The SQL itself lives
 * in {@code .sql} files per dialect (see {@link Statements}); these flags only steer the few places
 * where the Java code has to choose, and the default methods say what differs besides SQL text
 * (identifier quoting, reading and writing instants, classifying errors). The defaults of the
 * capability flags ({@link #fastPaths()} and the like) are off, as on H2: {@link PostgresDialect}
 * turns on what PostgreSQL has. The other defaults are PostgreSQL's and H2's behaviour; {@link
 * MariaDbDialect} overrides them.
 */
public sealed interface Dialect permits PostgresDialect, H2Dialect, MariaDbDialect {

  /** The backend name reported in {@link io.sluice.spi.Capabilities#name()}. */
  String name();

  /**
   * The folder under {@code db/migration} with this dialect's Flyway migrations: the one named
   * after it.
   */
  default String migrationFolder() {
    return name();
  }

  /**
   * Whether {@code FOR UPDATE SKIP LOCKED} skips rows locked by other transactions without waiting
   * (every supported database: PostgreSQL; MariaDB since 10.6; H2 since 2.2.220, with table-level
   * differences documented in the README).
   */
  default boolean skipLocked() {
    return true;
  }

  // The PostgreSQL features below are off by default; PostgresDialect turns them on.

  /** Whether a failed statement aborts the whole transaction (PostgreSQL), not just itself (H2). */
  default boolean failedStatementAbortsTransaction() {
    return false;
  }

  /**
   * Whether the single-statement fast paths exist (PostgreSQL data-modifying CTEs): unkeyed append
   * and unordered claim of new messages, each one auto-commit statement.
   */
  default boolean fastPaths() {
    return false;
  }

  /** Whether a batch of acks is one {@code DELETE ... USING unnest(arrays)} statement. */
  default boolean arrayAck() {
    return false;
  }

  /**
   * Whether stores on this database can wake each other across processes (PostgreSQL {@code
   * LISTEN/NOTIFY}: statements {@code notify} and {@code notify_in_transaction}, and a listening
   * connection); without it, other processes find new messages by polling.
   */
  default boolean notifications() {
    return false;
  }

  /**
   * Whether {@code mq_messages.headers} holds JSON ({@code [[name, value], ...]}, readable in SQL;
   * PostgreSQL {@code jsonb}) rather than Sluice's binary encoding (H2). See {@link HeadersCodec}.
   */
  default boolean jsonHeaders() {
    return false;
  }

  /**
   * Whether {@code offset_reserve} is one {@code UPDATE ... RETURNING} statement that returns the
   * partition's new {@code next_offset}. Without {@code RETURNING} (MariaDB), {@code
   * offset_reserve} is a plain {@code UPDATE} that leaves the new value in the session (its {@code
   * LAST_INSERT_ID(expr)}), and {@code offset_reserved} reads it back, in the same transaction.
   */
  default boolean updateReturning() {
    return true;
  }

  /**
   * A statement run first in each of the store's own transactions, before any other, or null. On
   * MariaDB it sets {@code READ COMMITTED} for that one transaction: PostgreSQL's default, which
   * the store's statements are written for. InnoDB's default, {@code REPEATABLE READ}, takes gap
   * locks on the index ranges that claims scan, so that concurrent claimers inserting delivery rows
   * deadlock each other, and reads the whole transaction from its first snapshot.
   */
  default String transactionSetup() {
    return null;
  }

  /**
   * Whether {@code ... ORDER BY <expression> LIMIT n FOR UPDATE SKIP LOCKED} locks only the rows it
   * returns (PostgreSQL, H2). InnoDB (MariaDB) locks every row it reads before it sorts, so such a
   * rotating pick would lock every partition of the topic until commit. There, {@code
   * partition_pick_free} and {@code cursor_lock_next} scan in index order from the rotation's start
   * partition up, and their {@code _wrap} twins from partition 0 up to it, each locking only the
   * rows it reads.
   */
  default boolean sortedSkipLockedLocksOnlyReturnedRows() {
    return true;
  }

  /**
   * Whether the driver binds SQL arrays ({@code bindArray}, used as {@code = ANY(:list)}); without
   * them (MariaDB) arrays are bound as JSON text ({@link JsonArrays}) and the statements that take
   * a list have a dialect form that expands it with {@code JSON_TABLE}.
   */
  default boolean sqlArrays() {
    return true;
  }

  /** The identifier (the validated schema name) quoted for this database's SQL. */
  default String quote(String identifier) {
    return '"' + identifier + '"';
  }

  /** Binds an instant (null for SQL NULL) as this dialect's timestamp column type expects. */
  default void bindInstant(PreparedStatement statement, int position, Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(position, value.atOffset(ZoneOffset.UTC));
    }
  }

  /** Reads a timestamp column as an instant (SQL NULL as null). */
  default Instant readInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** Reads a timestamp column, by position, as an instant (SQL NULL as null). */
  default Instant readInstant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /**
   * Whether this failure (one link of a cause chain) lost a race that rerunning the transaction can
   * win: a serialization failure or a deadlock. The database has rolled the transaction back, or
   * the caller will.
   */
  default boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state) || "40P02".equals(state);
  }

  /** Whether this failure (one link of a cause chain) is a unique-key violation. */
  default boolean uniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /**
   * Whether this failure (one link of a cause chain) means that the connection or the server went
   * away, so that the outcome of a statement in flight is unknown.
   */
  default boolean connectionLost(SQLException e) {
    if (e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException) {
      return true;
    }
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08") || state.startsWith("57P") || "53300".equals(state));
  }

  /** The dialect of the database behind this connection. */
  static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    return switch (product) {
      case "PostgreSQL" -> PostgresDialect.INSTANCE;
      case "H2" -> H2Dialect.INSTANCE;
      case "MariaDB" -> MariaDbDialect.check(connection.getMetaData());
      case "MySQL" ->
          throw new InvalidConfigException(
              "unsupported database MySQL "
                  + connection.getMetaData().getDatabaseProductVersion()
                  + ": expected PostgreSQL 13+, MariaDB 10.6+ or H2 2.x (MySQL has no sequences,"
                  + " which Sluice's fencing tokens use; see docs/mariadb.md)");
      default ->
          throw new InvalidConfigException(
              "unsupported database \""
                  + product
                  + "\": expected PostgreSQL 13+, MariaDB 10.6+ or H2 2.x");
    };
  }
}
