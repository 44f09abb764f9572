package io.sluice.consumer;

/**
 * The headers the runtime adds to a dead-lettered message (appended after the message's own
 * headers) and to a redriven one. Values are text; times are ISO-8601 instants.
 *
 * <table>
 *   <caption>Dead-letter headers</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>{@value #TOPIC}</td><td>original topic</td></tr>
 *   <tr><td>{@value #PARTITION}</td><td>original partition</td></tr>
 *   <tr><td>{@value #OFFSET}</td><td>original offset</td></tr>
 *   <tr><td>{@value #GROUP}</td><td>the consumer group that gave up</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>deliveries made, including the last</td></tr>
 *   <tr><td>{@value #ERROR_CLASS}</td><td>the last exception's class name (absent for a manual
 *       dead-letter)</td></tr>
 *   <tr><td>{@value #ERROR_MESSAGE}</td><td>its message, cut to 1,000 characters (absent when
 *       none)</td></tr>
 *   <tr><td>{@value #REASON}</td><td>{@code exhausted}, {@code not-retryable}, {@code abandoned}
 *       (the last allowed attempt never reported back: its consumer died or its lease ran out; the
 *       claim that found it is counted in the attempts and the handler did not run), or the reason
 *       given to {@code Delivery.deadLetter}</td></tr>
 *   <tr><td>{@value #FIRST_FAILURE}</td><td>first failure this runtime saw, or the first delivery
 *       time when the earlier failures happened in another process</td></tr>
 *   <tr><td>{@value #LAST_FAILURE}</td><td>when the message was dead-lettered</td></tr>
 *   <tr><td>{@value #IDEMPOTENCY_KEY}</td><td>the original idempotency key (the dead letter gets
 *       a key of its own)</td></tr>
 * </table>
 *
 * <p>A redriven message carries {@value #REDRIVE_GROUP}: only that group handles it; every other
 * group's runtime acks it without calling the handler (they processed the original already). It
 * also carries {@value #IDEMPOTENCY_KEY} again, so consumer idempotency still sees the original
 * key.
 */
public final class DeadLetterHeaders {
  /** Original topic. */
  public static final String TOPIC = "sluice.dlq.topic";

  /** Original partition. */
  public static final String PARTITION = "sluice.dlq.partition";

  /** Original offset. */
  public static final String OFFSET = "sluice.dlq.offset";

  /** The group that dead-lettered the message. */
  public static final String GROUP = "sluice.dlq.group";

  /** Deliveries made. */
  public static final String ATTEMPTS = "sluice.dlq.attempts";

  /** Last exception class. */
  public static final String ERROR_CLASS = "sluice.dlq.error-class";

  /** Last exception message. */
  public static final String ERROR_MESSAGE = "sluice.dlq.error-message";

  /** Why the message was dead-lettered. */
  public static final String REASON = "sluice.dlq.reason";

  /** First failure time. */
  public static final String FIRST_FAILURE = "sluice.dlq.first-failure-at";

  /** Last failure time. */
  public static final String LAST_FAILURE = "sluice.dlq.last-failure-at";

  /** The original message's idempotency key. */
  public static final String IDEMPOTENCY_KEY = "sluice.original-idempotency-key";

  /** On a redriven message: the only group that handles it. */
  public static final String REDRIVE_GROUP = "sluice.redrive.group";

  private DeadLetterHeaders() {}
}
