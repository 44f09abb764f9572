package io.sluice.consumer;

import io.sluice.api.Delivery;
import java.time.Duration;

/**
 * Metrics hooks of a consumer group: counters and timers for what happens to each delivery. Every
 * method has a no-op default, so implement only what you record. Called on the runtime's threads
 * (handler threads and the claim loop): keep implementations fast and thread-safe; an exception
 * thrown from a hook is logged and ignored.
 *
 * <p>Per delivery, exactly one settling hook follows {@link #onDelivered}: {@link #onAcked}, {@link
 * #onRetried}, {@link #onDeferred}, {@link #onDeadLettered}, {@link #onDuplicateSkipped}, {@link
 * #onRedriveSkipped}, {@link #onReleased} or {@link #onStaleAck} — or none, when a manual handler
 * leaves the delivery unsettled and its lease runs out. So for a run that ends with every message
 * settled: {@code delivered = acked + retried + deferred + deadLettered + duplicatesSkipped +
 * redriveSkipped + released + staleAcks}.
 */
public interface ConsumerListener {

  /** A listener that records nothing. */
  ConsumerListener NONE = new ConsumerListener() {};

  /**
   * Called once as a member starts: the listener to call for that member's hooks (by default this
   * one). Override it to know which listener the hooks come from, for example to tag meters with
   * {@code listenerId} and register them before the first event (so they read 0 rather than being
   * absent). A listener that throws here is used as it is.
   *
   * @param listenerId the Spring listener's id, or the group name for members started directly
   * @param config the member's configuration (group, topics, ...)
   */
  default ConsumerListener forMember(String listenerId, GroupConfig config) {
    return this;
  }

  /** A message was claimed and is about to be handled (also for skips). */
  default void onDelivered(Delivery delivery) {}

  /**
   * The handler returned or threw after {@code latency} (a timer); {@code failure} is null on
   * success. Not called for skipped deliveries.
   */
  default void onHandled(Delivery delivery, Duration latency, Throwable failure) {}

  /** The delivery was acked: processed. */
  default void onAcked(Delivery delivery) {}

  /**
   * The delivery failed and will be retried after {@code delay} (measured by the store); {@code
   * failure} is the handler's exception, a {@link java.util.concurrent.TimeoutException} when the
   * handler ran past {@link GroupConfig#maxHandlerTime()}, or null for a manual {@code nack}.
   */
  default void onRetried(Delivery delivery, Duration delay, Throwable failure) {}

  /** {@link Delivery#retryLater} postponed the delivery without counting the attempt. */
  default void onDeferred(Delivery delivery, Duration delay) {}

  /**
   * The delivery was moved to {@code deadLetterTopic} (or dropped when that is null: dead letters
   * are off). {@code failure} is the last exception, or null for a manual {@code deadLetter}.
   */
  default void onDeadLettered(
      Delivery delivery, String deadLetterTopic, String reason, Throwable failure) {}

  /** The group had already processed the message's idempotency key: acked without the handler. */
  default void onDuplicateSkipped(Delivery delivery) {}

  /**
   * A redriven message meant for another group: acked without the handler, since this group had
   * already processed the original.
   */
  default void onRedriveSkipped(Delivery delivery) {}

  /** Closing: the unstarted or unfinished delivery was released for immediate redelivery. */
  default void onReleased(Delivery delivery) {}

  /**
   * A settle or lease extension named a lease this member no longer holds (it expired and may have
   * been re-granted): rejected by the store, nothing applied (fencing).
   */
  default void onStaleAck(Delivery delivery) {}

  /** Periodic: the group's lag (end offset minus committed offset) in one partition. */
  default void onLag(String group, String topic, int partition, long lag) {}

  /** The claim loop or a store call failed; the member keeps going and tries again. */
  default void onError(String group, Throwable error) {}
}
