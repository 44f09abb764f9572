package io.sluice.consumer;

/** Who settles a delivery: the runtime when the handler returns, or the handler itself. */
public enum AckMode {
  /**
   * Returning normally acks; throwing retries with the group's backoff, or dead-letters the message
   * when attempts are exhausted or the exception is not retryable. A handler may still settle early
   * through {@link io.sluice.api.Delivery}; the runtime then does nothing more.
   */
  AUTO,
  /**
   * The handler calls {@code ack}, {@code nack}, {@code retryLater} or {@code deadLetter}. A
   * delivery it leaves unsettled stays leased (and is kept alive by automatic extension while the
   * handler runs); once the handler has returned, the lease is left to expire and the message is
   * redelivered. A handler that throws is treated as in {@link #AUTO}.
   */
  MANUAL
}
