package io.sluice.spi;

import io.sluice.api.internal.Validation;
import java.time.Duration;

/**
 * Ends a lease without completing its message; see {@link Storage#release(ReleaseRequest)}.
 *
 * @param group the consumer group, a valid name
 * @param delivery the lease to end
 * @param delay how long the message stays invisible, from now on the <i>store's</i> clock (zero:
 *     visible at once). A delay, not an instant, so that a backoff is as long as asked whatever the
 *     caller's clock says.
 * @param countAttempt true when the delivery was a failed attempt: it counts (if {@link
 *     Storage#markStarted} did not count it already); false when it is handed back unprocessed: an
 *     attempt counted for this lease is taken back
 */
public record ReleaseRequest(
    String group, DeliveryId delivery, Duration delay, boolean countAttempt) {
  public ReleaseRequest {
    Validation.group(group);
    Validation.required("delivery", delivery);
    Validation.nonNegative("delay", delay);
  }

  /** Hands a delivery back unprocessed, visible again at once, without counting an attempt. */
  public static ReleaseRequest unprocessed(String group, DeliveryId delivery) {
    return new ReleaseRequest(group, delivery, Duration.ZERO, false);
  }

  /** A failed attempt, visible again after {@code delay}. */
  public static ReleaseRequest retry(String group, DeliveryId delivery, Duration delay) {
    return new ReleaseRequest(group, delivery, delay, true);
  }
}
