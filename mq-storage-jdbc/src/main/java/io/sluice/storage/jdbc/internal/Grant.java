package io.sluice.storage.jdbc.internal;

import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One claim call's grant: the group and topic, the time, the lease end and the fencing tokens.
 * Tokens are {@code claimNo * MAX_CLAIM + i}: unique per lease, since {@code claimNo} comes from a
 * sequence and a claim grants fewer than {@code MAX_CLAIM} leases.
 */
record Grant(
    String group, TopicRow row, long claimNo, AtomicInteger granted, Instant now, Instant until) {

  Grant(String group, TopicRow row, long claimNo, Instant now, Instant until) {
    this(group, row, claimNo, new AtomicInteger(), now, until);
  }

  long nextToken() {
    return claimNo * ClaimRequest.MAX_CLAIM + granted.getAndIncrement();
  }

  /** The lease of a message: {@code counted} attempts before this grant, so attempt counted + 1. */
  Lease lease(StoredMessage m, long token, int counted, Instant firstDelivered) {
    DeliveryId id = new DeliveryId(m.topic(), m.partition(), m.offset(), token);
    return new Lease(id, m, counted + 1, until, firstDelivered == null ? now : firstDelivered);
  }
}
