package io.sluice.spi;

import java.util.Optional;

/**
 * The transaction a handler's work runs in. On the JDBC backend it unwraps to the {@code
 * java.sql.Connection} whose transaction also carries the ack; elsewhere it unwraps to nothing.
 */
public interface TransactionContext {
  /** The backend's transactional resource of this type, if it has one. */
  <T> Optional<T> unwrap(Class<T> type);

  /** A context with nothing to unwrap. */
  static TransactionContext none() {
    return new TransactionContext() {
      @Override
      public <T> Optional<T> unwrap(Class<T> type) {
        return Optional.empty();
      }
    };
  }
}
