package io.sluice.storage.jdbc.internal;

/**
 * A transaction lost a race that a rerun resolves (two creators of one topic, two senders of one
 * idempotency key). {@link Database#tx} rolls back and runs the transaction again.
 */
public final class RetryableConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A conflict described by {@code message}, caused by {@code cause}. */
  public RetryableConflict(String message, Throwable cause) {
    super(message, cause);
  }
}
