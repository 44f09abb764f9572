package io.sluice.storage.jdbc;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.api.internal.Validation;
import io.sluice.spi.AppendRequest;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.jdbc.internal.Engine;
import io.sluice.storage.jdbc.internal.RetryableConflict;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

/**
 * Sends messages inside the caller's database transaction: the transactional outbox without a
 * relay. The messages become visible to consumers when the caller commits, and never if it rolls
 * back.
 *
 * <pre>{@code
 * TransactionalSend outbox = storage.transactionalSend();
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   insertOrder(c, order);                                  // the business row
 *   outbox.send(c, "orders", Message.of(order.toJson()));   // its event, same transaction
 *   c.commit();                                             // both, or neither
 * }
 * }</pre>
 *
 * <p><b>Rules.</b> The connection must be on the store's database and inside a transaction ({@code
 * autoCommit} off). The send runs under a savepoint: if it fails, its own writes are rolled back to
 * the savepoint and the exception is thrown, so the caller's transaction is left as it was (on
 * PostgreSQL, a failed statement would otherwise abort it). The partition's counter row stays
 * locked until the caller commits; keep such transactions short, because other keyed sends to the
 * same partition wait for it (unkeyed sends pick another partition).
 *
 * <p><b>Wake-ups.</b> On PostgreSQL with notifications on, the send also queues a {@code pg_notify}
 * in the caller's transaction, which PostgreSQL delivers when (and only if) the caller commits,
 * once per topic however many sends the transaction makes; consumers everywhere wake then. On other
 * databases, call {@link #committed} after the commit to wake this process's consumers.
 */
public final class TransactionalSend {
  private final Engine engine;
  private final BooleanSupplier closed;
  private final String store;
  private final Consumer<String> committed;

  TransactionalSend(
      Engine engine, BooleanSupplier closed, String store, Consumer<String> committed) {
    this.engine = engine;
    this.closed = closed;
    this.store = store;
    this.committed = committed;
  }

  /**
   * Tells the consumers of this store in this process that a transaction holding sends to {@code
   * topic} has committed, so they claim now instead of at their next poll. Call it after the commit
   * (Sluice's Spring integration does, from {@code afterCommit}); calling it at another time is
   * harmless, since wake-ups are hints. On PostgreSQL with notifications on, consumers in other
   * processes are told by the database when the transaction commits.
   */
  public void committed(String topic) {
    committed.accept(Validation.topic(topic));
  }

  /** Sends one message on the caller's transaction; see {@link #sendAll}. */
  public Receipt send(Connection connection, String topic, Message message) {
    Validation.required("message", message);
    return sendAll(connection, topic, List.of(OutgoingMessage.of(message))).get(0);
  }

  /**
   * Appends the batch on the caller's transaction, with the same rules as {@link
   * io.sluice.spi.Storage#append}. The receipts become true when the caller commits.
   *
   * @throws InvalidConfigException if the connection is in auto-commit mode
   * @throws io.sluice.api.error.StorageException if a statement fails (the caller's transaction is
   *     rolled back to before this call, not further)
   */
  public List<Receipt> sendAll(Connection connection, String topic, List<OutgoingMessage> batch) {
    Validation.required("connection", connection);
    AppendRequest request = new AppendRequest(topic, batch);
    if (request.messages().isEmpty()) {
      throw new InvalidMessageException("batch must not be empty");
    }
    if (closed.getAsBoolean()) {
      throw new StorageClosedException(store);
    }
    requireTransaction(connection);
    Jdbi jdbi = Engine.configure(Jdbi.create(connection), engine.db().dialect());
    jdbi.getConfig(Handles.class).setForceEndTransactions(false);
    try (Handle h = jdbi.open()) {
      try {
        h.savepoint("sluice_send");
      } catch (RuntimeException e) {
        throw engine.db().translate("transactional send (savepoint)", e);
      }
      try {
        List<Receipt> receipts =
            engine.appender().append(h, topic, request.messages(), engine.db().now());
        if (engine.wakeups() != null) {
          engine.wakeups().signalInTransaction(h, topic);
        }
        h.releaseSavepoint("sluice_send");
        return receipts;
      } catch (RuntimeException e) {
        try {
          h.rollbackToSavepoint("sluice_send");
        } catch (RuntimeException rollback) {
          e.addSuppressed(rollback);
        }
        if (e instanceof RetryableConflict) {
          throw new StorageFailedException(
              "transactional send lost a race on an idempotency key; roll back and retry the"
                  + " whole transaction: "
                  + e.getMessage(),
              e);
        }
        throw engine.db().translate("transactional send", e);
      }
    }
  }

  private void requireTransaction(Connection connection) {
    boolean autoCommit;
    try {
      autoCommit = connection.getAutoCommit();
    } catch (SQLException e) {
      throw engine
          .db()
          .translate(
              "transactional send",
              new org.jdbi.v3.core.ConnectionException(e)); // connection unusable
    }
    if (autoCommit) {
      throw new InvalidConfigException(
          "transactional send needs a connection inside a transaction: expected autoCommit=false,"
              + " found autoCommit=true");
    }
  }
}
