package io.sluice.spring.core.internal;

import io.sluice.spi.TransactionContext;
import io.sluice.spring.listener.ListenerTransactions;
import java.sql.Connection;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Binds the JDBC store's transaction (the connection that also acks the message) to the store's
 * {@link DataSource} as Spring's current transaction while a transactional listener runs: {@code
 * DataSourceUtils.getConnection(dataSource)} returns that connection, so {@code JdbcTemplate},
 * {@code @Transactional} methods (which join it) and {@link JdbcTransactionalSender} sends use it.
 * The store commits it with the acks when the listener returns, and rolls it back when the listener
 * throws or a joined {@code @Transactional} method marked it rollback-only (then {@link
 * UnexpectedRollbackException} fails the delivery). Transaction synchronization is not active on
 * it: {@code TransactionSynchronization} callbacks cannot be registered inside the listener.
 */
public final class JdbcListenerTransactions implements ListenerTransactions {
  private final DataSource dataSource;

  /** Binds to {@code dataSource}, the one the JDBC store was created on. */
  public JdbcListenerTransactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void run(TransactionContext tx, Work work) throws Exception {
    Optional<Connection> connection = tx.unwrap(Connection.class);
    if (connection.isEmpty() || TransactionSynchronizationManager.hasResource(dataSource)) {
      work.run(); // not a JDBC transaction, or this thread is already in one of this DataSource
      return;
    }
    ConnectionHolder holder = new ConnectionHolder(connection.get(), true);
    boolean wasActive = TransactionSynchronizationManager.isActualTransactionActive();
    TransactionSynchronizationManager.bindResource(dataSource, holder);
    TransactionSynchronizationManager.setActualTransactionActive(true);
    try {
      work.run();
      if (holder.isRollbackOnly()) {
        throw new UnexpectedRollbackException(
            "the listener's transaction was marked rollback-only (by a @Transactional method it"
                + " called); rolled back with the ack");
      }
    } finally {
      TransactionSynchronizationManager.setActualTransactionActive(wasActive);
      TransactionSynchronizationManager.unbindResource(dataSource);
    }
  }
}
