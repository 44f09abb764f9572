package io.sluice.consumer;

import io.sluice.api.Delivery;
import io.sluice.spi.TransactionContext;

/**
 * A handler that runs in the same store transaction as its ack (see {@link
 * io.sluice.spi.Storage#inTransaction}). On a backend with transactions (JDBC) its database work,
 * the ack and the processed-key record commit or roll back together; {@code tx.unwrap(
 * java.sql.Connection.class)} gives the connection. Elsewhere the handler runs first and the ack
 * follows when it returns. Always acknowledged automatically; throwing retries as in {@link
 * AckMode#AUTO}.
 */
@FunctionalInterface
public interface TransactionalHandler {
  /** Handles one message inside {@code tx}; may throw anything, which the runtime classifies. */
  void handle(Delivery delivery, TransactionContext tx) throws Exception;
}
