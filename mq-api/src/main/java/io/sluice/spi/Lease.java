package io.sluice.spi;

import java.time.Instant;

/**
 * A message claimed by one member of a group until {@code expiresAt}.
 *
 * @param id the fencing id to ack, release or extend with
 * @param message the message
 * @param attempt the attempt its handler run would be: attempts counted for the message before this
 *     grant, plus one (claims that never started a handler count none; see {@link Storage})
 * @param expiresAt when the lease ends if not extended; then the message is claimable again
 * @param firstDeliveredAt when the message was first claimed by this group (store clock)
 */
public record Lease(
    DeliveryId id,
    StoredMessage message,
    int attempt,
    Instant expiresAt,
    Instant firstDeliveredAt) {}
