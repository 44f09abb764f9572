package io.sluice.api;

/**
 * Processes one delivered message. With automatic acks, returning normally acks the message and
 * throwing schedules a retry (or dead-letters it once attempts are exhausted or the exception is
 * not retryable). With manual acks, the handler settles the delivery itself through {@link
 * Delivery}; a delivery left unsettled when its lease ends is redelivered.
 */
@FunctionalInterface
public interface MessageHandler {
  /** Handles one message; may throw anything, which the runtime classifies. */
  void handle(Delivery delivery) throws Exception;
}
