package io.sluice.consumer;

import io.sluice.api.Delivery;
import java.util.List;

/**
 * Processes deliveries a batch at a time: up to {@link GroupOptions#maxBatchSize} deliveries per
 * call, gathered for at most {@link GroupOptions#maxBatchWait} after the first one was ready.
 *
 * <ul>
 *   <li><b>Returning normally</b> acks every delivery of the batch that the handler did not settle
 *       itself; the acks reach the store together.
 *   <li><b>Per-message outcomes:</b> the handler may settle single deliveries through {@link
 *       Delivery} ({@code nack}, {@code retryLater}, {@code deadLetter}, {@code ack}) and return
 *       normally; the others are then acked.
 *   <li><b>Throwing</b> fails one attempt of every unsettled delivery: each is retried with the
 *       group's backoff after its own attempt count, or dead-lettered when the exception is not
 *       retryable or its attempts ran out. A delivery on a retry (attempt 2 or later) runs in a
 *       batch of its own, so one poison message uses up its attempts alone while the others of its
 *       first batch pass on their retry. For the same reason an exception type the policy does not
 *       retry dead-letters at once only in a batch of one; the deliveries of a larger batch are
 *       retried alone first. With {@code maxAttempts} 1 a failed batch dead-letters all of its
 *       deliveries.
 *   <li><b>Ordering:</b> under {@link io.sluice.api.Ordering#KEY_ORDERED} a batch holds at most one
 *       delivery per key, and the next message of a key is not handed out before the batch holding
 *       the previous one is done.
 *   <li><b>Leases</b> of every delivery in the batch are extended while the handler runs; {@link
 *       GroupConfig#maxHandlerTime()} applies to the batch call as a whole.
 * </ul>
 *
 * With {@link AckMode#MANUAL}, deliveries the handler leaves unsettled are redelivered when their
 * leases run out, as for a single-message handler.
 */
@FunctionalInterface
public interface BatchHandler {
  /** Handles a batch of one to {@code maxBatchSize} deliveries, in claim order. */
  void handle(List<Delivery> batch) throws Exception;
}
