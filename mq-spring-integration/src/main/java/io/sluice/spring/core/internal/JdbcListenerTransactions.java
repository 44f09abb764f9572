package io.sluice.spring.core.internal;

import io.sluice.spi.TransactionContext;
import io.sluice.spring.listener.ListenerTransactions;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Binds the JDBC store's transaction (the connection that also acks the message) to the store's
 * {@link DataSource} as Spring's current transaction while a transactional listener runs: {@code
 * DataSourceUtils.getConnection(dataSource)} returns that connection, so {@code JdbcTemplate},
 * {@code @Transactional} methods (which join it) and {@link JdbcTransactionalSender} sends use it.
 * The store commits it with the acks when the listener returns, and rolls it back when the listener
 * throws or a joined {@code @Transactional} method marked it rollback-only (then {@link
 * UnexpectedRollbackException} fails the delivery). Synchronizations registered inside the listener
 * are not told of the commit (it happens in the store after the listener returns): their {@code
 * afterCompletion} runs with {@code STATUS_UNKNOWN} when the listener returns, and {@code
 * beforeCommit}/{@code afterCommit} never run.
 */
public final class JdbcListenerTransactions implements ListenerTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcListenerTransactions.class);
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
    TransactionSynchronizationManager.bindResource(dataSource, holder);
    TransactionSynchronizationManager.setActualTransactionActive(true);
    // Active synchronization makes a joined @Transactional method a mere participant: without it
    // Spring would start synchronization for that method and clear the transaction state when it
    // returns, and later sends would no longer see the transaction.
    TransactionSynchronizationManager.initSynchronization();
    try {
      work.run();
      if (holder.isRollbackOnly()) {
        throw new UnexpectedRollbackException(
            "the listener's transaction was marked rollback-only (by a @Transactional method it"
                + " called); rolled back with the ack");
      }
    } finally {
      List<TransactionSynchronization> registered =
          TransactionSynchronizationManager.getSynchronizations();
      TransactionSynchronizationManager.clear();
      TransactionSynchronizationManager.unbindResource(dataSource);
      for (TransactionSynchronization sync : registered) {
        try {
          sync.afterCompletion(TransactionSynchronization.STATUS_UNKNOWN);
        } catch (RuntimeException e) {
          LOG.warn("a transaction synchronization failed after a transactional listener", e);
        }
      }
    }
  }
}
