package io.sluice.spi;

import java.time.Instant;

/**
 * A message claimed by one member of a group until {@code expiresAt}.
 *
 * @param id the fencing id to ack, release or extend with
 * @param message the message
 * @param attempt 1 on the first claim by this group, one more on every later claim
 * @param expiresAt when the lease ends if not extended; then the message is claimable again
 * @param firstDeliveredAt when the message was first claimed by this group
 */
public record Lease(
    DeliveryId id,
    StoredMessage message,
    int attempt,
    Instant expiresAt,
    Instant firstDeliveredAt) {}
