package io.sluice.consumer;

import io.sluice.api.Delivery;
import io.sluice.spi.TransactionContext;
import java.util.List;

/**
 * A batch handler whose work and the acks of the whole batch run in one store transaction (see
 * {@link io.sluice.spi.Storage#inTransaction}): on the JDBC backend the handler's writes on {@code
 * tx.unwrap(java.sql.Connection.class)}, the acks and the processed-key records of every delivery
 * commit or roll back together, which makes the batch's database effects exactly-once at one commit
 * per batch instead of one per message. Elsewhere the handler runs first and the acks follow when
 * it returns.
 *
 * <p>Batches are formed as for a {@link BatchHandler}. Returning normally commits; throwing rolls
 * the transaction back and fails one attempt of every delivery of the batch (retried with backoff,
 * a delivery on a retry in a batch of its own, or dead-lettered when not retryable or out of
 * attempts). If a lease of the batch was lost meanwhile (the handler ran past its lease or {@code
 * maxHandlerTime}), the transaction rolls back too and the other deliveries are handed back for
 * redelivery without using up an attempt. The deliveries are always acknowledged automatically:
 * settling one through {@link Delivery} inside the handler throws {@link IllegalStateException}.
 */
@FunctionalInterface
public interface TransactionalBatchHandler {
  /** Handles a batch inside {@code tx}; may throw anything, which the runtime classifies. */
  void handle(List<Delivery> batch, TransactionContext tx) throws Exception;
}
