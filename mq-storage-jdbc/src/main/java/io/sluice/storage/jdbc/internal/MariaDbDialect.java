package io.sluice.storage.jdbc.internal;

import io.sluice.api.error.InvalidConfigException;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * MariaDB 10.6 and later (InnoDB; {@code FOR UPDATE SKIP LOCKED} since 10.6, sequences since 10.3,
 * {@code JSON_TABLE} since 10.6).
 *
 * <ul>
 *   <li><b>Schema</b> = a MariaDB database; identifiers are quoted with backticks, so the server's
 *       {@code ANSI_QUOTES} setting does not matter.
 *   <li><b>Instants</b> are {@code DATETIME(6)} columns holding UTC wall-clock time, bound and read
 *       as {@link LocalDateTime} in UTC: the driver never converts them, so neither the JVM's nor
 *       the session's time zone can shift them, and the range is the store's (1970 to 9999; a
 *       {@code TIMESTAMP} column would end in 2038). The database clock is {@code
 *       UTC_TIMESTAMP(6)}.
 *   <li><b>Lists</b> ({@code bindArray}) travel as JSON arrays, expanded with {@code JSON_TABLE}
 *       (see {@link JsonArrays}).
 *   <li><b>Offsets</b> are reserved without {@code RETURNING}: {@code UPDATE ... SET next_offset =
 *       LAST_INSERT_ID(next_offset + n)} takes the counter row's lock until commit and leaves the
 *       new value in the session, where {@code SELECT LAST_INSERT_ID()} reads it.
 *   <li><b>Errors</b>: deadlock (1213, SQLState 40001) and lock wait timeout (1205) are retried
 *       like PostgreSQL's serialization failures; duplicate key (1062) is a unique violation;
 *       SQLState 08xxx and the server-gone codes (1053, 1152, 1927, 2006, 2013) are a lost
 *       connection.
 *   <li>A failed statement rolls back only itself (a deadlock, though, rolls back everything).
 *   <li>The store's own transactions run at {@code READ COMMITTED}, as on PostgreSQL (see {@link
 *       #transactionSetup()}).
 *   <li>No {@code LISTEN/NOTIFY}: other processes find new messages by polling.
 * </ul>
 */
public record MariaDbDialect() implements Dialect {
  /** The one instance. */
  public static final MariaDbDialect INSTANCE = new MariaDbDialect();

  /** ER_LOCK_DEADLOCK. */
  static final int DEADLOCK = 1213;

  /** ER_LOCK_WAIT_TIMEOUT. */
  static final int LOCK_WAIT_TIMEOUT = 1205;

  /** ER_DUP_ENTRY. */
  static final int DUPLICATE_KEY = 1062;

  /**
   * Server shutdown (1053), aborted connection (1152), connection killed (1927), server gone away
   * (2006) and lost during query (2013).
   */
  private static final Set<Integer> CONNECTION_LOST = Set.of(1053, 1152, 1927, 2006, 2013);

  /** The dialect, once the server is known to be recent enough. */
  static MariaDbDialect check(DatabaseMetaData meta) throws SQLException {
    int major = meta.getDatabaseMajorVersion();
    int minor = meta.getDatabaseMinorVersion();
    if (major < 10 || (major == 10 && minor < 6)) {
      throw new InvalidConfigException(
          "unsupported database MariaDB "
              + meta.getDatabaseProductVersion()
              + ": expected MariaDB 10.6 or later (FOR UPDATE SKIP LOCKED, JSON_TABLE)");
    }
    return INSTANCE;
  }

  @Override
  public String name() {
    return "mariadb";
  }

  /** Headers are a {@code JSON} column ({@code [[name, value], ...]}), readable in SQL. */
  @Override
  public boolean jsonHeaders() {
    return true;
  }

  @Override
  public boolean updateReturning() {
    return false;
  }

  /**
   * {@code READ COMMITTED} for this transaction only ({@code SET TRANSACTION} without {@code
   * SESSION}): the connection's own level is left as the application set it.
   */
  @Override
  public String transactionSetup() {
    return "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
  }

  @Override
  public boolean sortedSkipLockedLocksOnlyReturnedRows() {
    return false;
  }

  @Override
  public boolean sqlArrays() {
    return false;
  }

  @Override
  public String quote(String identifier) {
    return '`' + identifier + '`';
  }

  @Override
  public void bindInstant(PreparedStatement statement, int position, Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(position, Types.TIMESTAMP);
    } else {
      statement.setObject(position, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    }
  }

  @Override
  public Instant readInstant(ResultSet rs, String column) throws SQLException {
    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  @Override
  public Instant readInstant(ResultSet rs, int column) throws SQLException {
    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  @Override
  public boolean retryable(SQLException e) {
    return e.getErrorCode() == DEADLOCK
        || e.getErrorCode() == LOCK_WAIT_TIMEOUT
        || "40001".equals(e.getSQLState());
  }

  @Override
  public boolean uniqueViolation(SQLException e) {
    return e.getErrorCode() == DUPLICATE_KEY;
  }

  @Override
  public boolean connectionLost(SQLException e) {
    return Dialect.super.connectionLost(e) || CONNECTION_LOST.contains(e.getErrorCode());
  }
}
