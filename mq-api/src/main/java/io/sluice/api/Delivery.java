package io.sluice.api;

import java.time.Duration;
import java.time.Instant;

/**
 * One delivery of a message to a handler: the message, where it came from, and how to settle it.
 * Settling twice, or after the lease was lost, is rejected with {@link
 * io.sluice.api.error.StaleDeliveryException}.
 */
public interface Delivery {
  /** The consumer group this delivery belongs to. */
  String group();

  String topic();

  int partition();

  long offset();

  /**
   * Which handler run this is: 1 the first time a handler runs on the message in this group, then
   * one more for each later run (after a failure, or a lease lost while a handler was running). An
   * attempt is counted just before the handler starts, so a delivery that never reached a handler
   * (claimed by a member that died before starting it, or handed back at shutdown) uses none, and
   * {@link #retryLater} gives its attempt back.
   */
  int attempt();

  /** When this message was first handed to this group. */
  Instant firstDeliveredAt();

  /** The message. */
  Message message();

  /** Shortcut for {@code message().payload()}. */
  default byte[] payload() {
    return message().payload();
  }

  /** Shortcut for {@code message().payloadAsString()}. */
  default String payloadAsString() {
    return message().payloadAsString();
  }

  /** Shortcut for {@code message().key()}. */
  default String key() {
    return message().key();
  }

  /** Shortcut for {@code message().headers()}. */
  default Headers headers() {
    return message().headers();
  }

  /** Done: the message will not be delivered to this group again. */
  void ack();

  /** Failed: retry after the group's backoff, or dead-letter when attempts are exhausted. */
  void nack();

  /** Failed: retry after {@code delay}, or dead-letter when attempts are exhausted. */
  void nack(Duration delay);

  /**
   * Not now, and not a failure: deliver again after {@code delay} without counting this attempt
   * (for example when a downstream rate limit says so).
   */
  void retryLater(Duration delay);

  /** Give up at once: move the message to the dead-letter topic with this reason. */
  void deadLetter(String reason);

  /** Keeps the lease for {@code extension} more from now, for a handler that is still working. */
  void extendLease(Duration extension);
}
