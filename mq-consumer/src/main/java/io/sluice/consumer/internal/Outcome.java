package io.sluice.consumer.internal;

import io.sluice.consumer.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How one delivery ends: the closed set of things {@link Settler#settle} can do with it. A
 * handler's return, a manual call on the delivery, a skip, a timeout or a shutdown each become one
 * of these, and each is applied in one place. A batch handler (later) returns one outcome per
 * delivery.
 */
sealed interface Outcome {
  /**
   * Done: the message will not be delivered to the group again (queued to the ack batcher); {@code
   * waited}: a caller (a manual {@code ack()}) waits for the store's answer.
   */
  record Ack(boolean waited) implements Outcome {}

  /** Done, and already acked by the store transaction the handler ran in. */
  record Committed() implements Outcome {}

  /**
   * A failed attempt: visible again after {@code delay} (on the store's clock); {@code error} is
   * the handler's exception, or null for a manual nack.
   */
  record Retry(Duration delay, Throwable error) implements Outcome {}

  /** Not now and not a failure ({@code retryLater}): visible again after {@code delay}. */
  record Defer(Duration delay) implements Outcome {}

  /** Given up: to the dead-letter topic (or dropped when the group has none), then acked. */
  record DeadLetter(String reason, Throwable error) implements Outcome {}

  /** Handed back unprocessed at shutdown, visible again at once; the attempt is not counted. */
  record Release() implements Outcome {}

  /**
   * Handed back before it reached the handler (it waited past its lease, or could not be marked
   * started); no listener hook, since it was never delivered.
   */
  record HandBack() implements Outcome {}

  /**
   * Acked without the handler: the group already processed it, or it is another group's redrive.
   */
  record Skip(boolean duplicate) implements Outcome {}

  /** The store rejected the delivery's lease: another member may hold it now (fencing). */
  record Lost() implements Outcome {}

  Ack ACK = new Ack(false);
  Ack WAITED_ACK = new Ack(true);
  Committed COMMITTED = new Committed();
  Release RELEASE = new Release();
  HandBack HAND_BACK = new HandBack();
  Lost LOST = new Lost();

  /** The reason of a message whose last allowed attempt never reported back. */
  String ABANDONED = "abandoned";

  /** The reason of a message whose attempts ran out. */
  String EXHAUSTED = "exhausted";

  /** The reason of a message whose handler threw an exception the policy does not retry. */
  String NOT_RETRYABLE = "not-retryable";

  /** A dead letter for a message whose last allowed attempt never reported back. */
  static Outcome abandoned() {
    return new DeadLetter(ABANDONED, null);
  }

  /**
   * What a failed attempt leads to under {@code policy}: a dead letter when {@code error} is not
   * retryable or attempt {@code attempt} was the last, else a retry after the backoff's delay.
   */
  static Outcome failed(RetryPolicy policy, int attempt, Throwable error) {
    if (error != null && !policy.isRetryable(error)) {
      return new DeadLetter(NOT_RETRYABLE, error);
    }
    if (!policy.hasAttemptsLeft(attempt)) {
      return new DeadLetter(EXHAUSTED, error);
    }
    return new Retry(policy.backoff().delay(attempt, ThreadLocalRandom.current()), error);
  }

  /** A manual nack: a retry after {@code delay}, or a dead letter when attempts ran out. */
  static Outcome nacked(RetryPolicy policy, int attempt, Duration delay) {
    if (!policy.hasAttemptsLeft(attempt)) {
      return new DeadLetter(EXHAUSTED, null);
    }
    return new Retry(delay, null);
  }
}
