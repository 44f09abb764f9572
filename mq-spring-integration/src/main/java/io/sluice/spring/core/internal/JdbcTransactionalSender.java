package io.sluice.spring.core.internal;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.spring.core.TransactionalSender;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.TransactionalSend;
import java.sql.Connection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Joins the Spring transaction bound to the store's {@link DataSource}: gets its connection with
 * {@link DataSourceUtils#getConnection} and appends with {@link TransactionalSend}, so the message
 * commits or rolls back with the application's own rows. When no transaction is active, or the
 * active one does not hold a connection of this {@code DataSource} (another resource's
 * transaction), it declines and the template sends normally. After the transaction commits, the
 * listeners of this process are woken for the topics it sent to.
 */
public final class JdbcTransactionalSender implements TransactionalSender {
  private final TransactionalSend outbox;
  private final DataSource dataSource;
  private final Object wakeKey = new Object();

  /** A sender for {@code storage}, which was created on {@code dataSource}. */
  public JdbcTransactionalSender(JdbcStorage storage, DataSource dataSource) {
    this.outbox = storage.transactionalSend();
    this.dataSource = dataSource;
  }

  @Override
  public boolean wouldJoin() {
    return TransactionSynchronizationManager.isActualTransactionActive()
        && TransactionSynchronizationManager.hasResource(dataSource);
  }

  @Override
  public Optional<Receipt> sendInTransaction(String topic, Message message) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()
        || !TransactionSynchronizationManager.hasResource(dataSource)) {
      return Optional.empty();
    }
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      Optional<Receipt> receipt = Optional.of(outbox.send(connection, topic, message));
      wakeAfterCommit(topic);
      return receipt;
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /**
   * Once the transaction commits, tells this process's listeners of the topic, so they claim the
   * message at once rather than at their next poll (once per topic and transaction). Without
   * transaction synchronization (a transactional listener's own transaction) nothing is registered:
   * on PostgreSQL the database notifies on commit, elsewhere the next poll finds it.
   */
  private void wakeAfterCommit(String topic) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Set<String> topics = (Set<String>) TransactionSynchronizationManager.getResource(wakeKey);
    if (topics == null) {
      Set<String> pending = new LinkedHashSet<>();
      TransactionSynchronizationManager.bindResource(wakeKey, pending);
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              pending.forEach(outbox::committed);
            }

            @Override
            public void afterCompletion(int status) {
              TransactionSynchronizationManager.unbindResourceIfPossible(wakeKey);
            }
          });
      topics = pending;
    }
    topics.add(topic);
  }
}
