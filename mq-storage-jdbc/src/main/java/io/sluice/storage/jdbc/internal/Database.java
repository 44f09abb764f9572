package io.sluice.storage.jdbc.internal;

import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.SluiceException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.api.internal.Validation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The store's access to its database: a Jdbi instance, the dialect's statements, the clock, and one
 * way to run a transaction.
 *
 * <p><b>Retries.</b> A transaction that fails with a serialization failure, a deadlock, or a {@link
 * RetryableConflict} (a lost race on a unique key) is rolled back and run again, up to {@value
 * #ATTEMPTS} times. A failure of the {@code COMMIT} itself is ambiguous (the server may have
 * committed) and is <i>never</i> retried: it surfaces as {@link BackendUnavailableException}, and
 * the caller retries the whole operation with the same idempotency keys.
 */
public final class Database {
  static final int ATTEMPTS = 5;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Statements sql;
  private final InstantSource clock;
  private final String target;

  /** A database reached through {@code jdbi}, described as {@code target} in errors. */
  public Database(Jdbi jdbi, Dialect dialect, Statements sql, InstantSource clock, String target) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.sql = sql;
    this.clock = clock;
    this.target = target;
  }

  /** The dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** The statements. */
  public Statements sql() {
    return sql;
  }

  /** The JDBC URL without credentials, or a description of the data source. */
  public String target() {
    return target;
  }

  /** The Jdbi instance. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** The store clock's time at the database's precision (microseconds). */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * {@code t + d}, capped at the latest instant the store keeps ({@link Validation#MAX_INSTANT}),
   * so that a huge lease or delay means "practically never" instead of an overflow.
   */
  public static Instant plus(Instant t, Duration d) {
    try {
      Instant r = t.plus(d);
      return r.isAfter(Validation.MAX_INSTANT) ? Validation.MAX_INSTANT : r;
    } catch (ArithmeticException | java.time.DateTimeException overflow) {
      return Validation.MAX_INSTANT;
    }
  }

  /**
   * An instant as a bind argument of the dialect's timestamp type ({@code timestamp with time
   * zone}; {@code DATETIME(6)} in UTC on MariaDB), truncated to microseconds; null binds SQL NULL.
   */
  public static Argument ts(Instant instant) {
    Instant value = instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    return (position, statement, ctx) ->
        ctx.getConfig(DialectConfig.class).dialect().bindInstant(statement, position, value);
  }

  /**
   * Reads a timestamp column as an instant (null stays null), with PostgreSQL's and H2's mapping;
   * see {@link #instant(ResultSet, String, StatementContext)} for any dialect.
   */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    return PostgresDialect.INSTANCE.readInstant(rs, column);
  }

  /** Reads a timestamp column as an instant (null stays null), as the statement's dialect does. */
  public static Instant instant(ResultSet rs, String column, StatementContext ctx)
      throws SQLException {
    return ctx.getConfig(DialectConfig.class).dialect().readInstant(rs, column);
  }

  /** Runs {@code work} in one transaction, retrying conflicts as described above. */
  public <R> R tx(String what, Function<Handle, R> work) {
    for (int attempt = 1; ; attempt++) {
      try (Handle handle = jdbi.open()) {
        return once(handle, work);
      } catch (RetryableConflict e) {
        if (attempt >= ATTEMPTS) {
          throw new StorageFailedException(what + " kept conflicting: " + e.getMessage(), e);
        }
      } catch (AmbiguousCommit e) {
        throw translate(what, e);
      } catch (JdbiException e) {
        if (attempt >= ATTEMPTS || !retryable(dialect, e)) {
          throw translate(what, e);
        }
      }
    }
  }

  /**
   * Runs {@code work} without a transaction (auto-commit): for work that is one statement, atomic
   * by itself, or a series of statements each of which may stand alone. Serialization failures and
   * deadlocks are retried; a lost connection is reported, never retried (the statement's outcome is
   * unknown).
   */
  public <R> R autoCommit(String what, Function<Handle, R> work) {
    for (int attempt = 1; ; attempt++) {
      try (Handle handle = jdbi.open()) {
        return work.apply(handle);
      } catch (RetryableConflict e) {
        if (attempt >= ATTEMPTS) {
          throw new StorageFailedException(what + " kept conflicting: " + e.getMessage(), e);
        }
      } catch (JdbiException e) {
        if (connectionLost(dialect, e)) {
          // An auto-commit statement is its own commit: its outcome is unknown.
          throw new BackendUnavailableException(
              target + " (" + what + " outcome unknown, retry with the same keys)", e);
        }
        if (attempt >= ATTEMPTS || !retryable(dialect, e)) {
          throw translate(what, e);
        }
      }
    }
  }

  private <R> R once(Handle handle, Function<Handle, R> work) {
    handle.begin();
    R result;
    try {
      String setup = dialect.transactionSetup();
      if (setup != null) {
        handle.execute(setup);
      }
      result = work.apply(handle);
    } catch (RuntimeException | Error e) {
      rollbackQuietly(handle, e);
      throw e;
    }
    try {
      handle.commit();
    } catch (JdbiException e) {
      throw new AmbiguousCommit(e);
    }
    return result;
  }

  /** Rolls back, adding a rollback failure to {@code cause} as suppressed. */
  static void rollbackQuietly(Handle handle, Throwable cause) {
    try {
      handle.rollback();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Whether rerunning the transaction can succeed (serialization failure, deadlock, ...). */
  static boolean retryable(Dialect dialect, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && dialect.retryable(s)) {
        return true;
      }
    }
    return false;
  }

  /** Turns a database failure into the SPI's exception. */
  public RuntimeException translate(String what, RuntimeException e) {
    if (e instanceof SluiceException s) {
      return s;
    }
    if (e instanceof AmbiguousCommit) {
      return new BackendUnavailableException(
          target + " (COMMIT of " + what + " failed: outcome unknown, retry with the same keys)",
          e.getCause());
    }
    if (!(e instanceof JdbiException)) {
      return e;
    }
    if (connectionLost(dialect, e)) {
      return new BackendUnavailableException(target, e);
    }
    return new StorageFailedException(what + " failed on " + target + ": " + e.getMessage(), e);
  }

  /** Whether the failure means the connection or server went away. */
  static boolean connectionLost(Dialect dialect, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && dialect.connectionLost(s)) {
        return true;
      }
    }
    return false;
  }

  /** The SQLState of the first SQLException in the cause chain, or null. */
  public static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /**
   * Whether the failure is a unique-key violation (SQLState 23505 on PostgreSQL and H2, error 1062
   * on MariaDB).
   */
  public static boolean uniqueViolation(Dialect dialect, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && dialect.uniqueViolation(s)) {
        return true;
      }
    }
    return false;
  }

  /** A COMMIT that failed: the transaction may or may not have committed. */
  static final class AmbiguousCommit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AmbiguousCommit(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }
}
