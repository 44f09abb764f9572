package io.sluice.spi;

/**
 * Work that runs inside a store transaction; its exception type passes through unchanged.
 *
 * @param <R> the result
 * @param <X> what the work may throw
 */
@FunctionalInterface
public interface TransactionalWork<R, X extends Exception> {
  R run(TransactionContext tx) throws X;
}
