package io.sluice.spring.listener;

import io.sluice.spi.TransactionContext;

/**
 * Makes the store transaction of a transactional listener ({@link SluiceListener#transactional()})
 * the current Spring transaction while the listener method runs. The auto-configuration provides
 * one for the JDBC store, which binds the transaction's connection to the store's {@code
 * DataSource}: a {@code JdbcTemplate}, a {@code @Transactional} method (propagation {@code
 * REQUIRED} joins it) and a {@link io.sluice.spring.core.SluiceTemplate} send all run on the
 * connection that also acks the message, so they commit or roll back together. {@link #NONE} runs
 * the method as it is (a store without transactions: the ack follows when the method returns).
 */
@FunctionalInterface
public interface ListenerTransactions {
  /** Runs the work with nothing bound. */
  ListenerTransactions NONE = (tx, work) -> work.run();

  /** Runs {@code work} with {@code tx} as the current transaction. */
  void run(TransactionContext tx, Work work) throws Exception;

  /** A listener invocation. */
  @FunctionalInterface
  interface Work {
    /** Calls the listener; may throw anything. */
    void run() throws Exception;
  }
}
