package io.sluice.spring.core.internal;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.spring.core.TransactionalSender;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.TransactionalSend;
import java.sql.Connection;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Joins the Spring transaction bound to the store's {@link DataSource}: gets its connection with
 * {@link DataSourceUtils#getConnection} and appends with {@link TransactionalSend}, so the message
 * commits or rolls back with the application's own rows. When no transaction is active, or the
 * active one does not hold a connection of this {@code DataSource} (another resource's
 * transaction), it declines and the template sends normally.
 */
public final class JdbcTransactionalSender implements TransactionalSender {
  private final TransactionalSend outbox;
  private final DataSource dataSource;

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
      return Optional.of(outbox.send(connection, topic, message));
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }
}
