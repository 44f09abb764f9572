package io.sluice.api;

import java.time.Instant;

/**
 * Proof that a message is stored as durably as the store's policy promises.
 *
 * @param topic the topic
 * @param partition the partition the message went to
 * @param offset its offset in that partition
 * @param timestamp the message's timestamp as stored
 * @param duplicate true when the message's idempotency key had already been accepted within the
 *     dedupe window: nothing was appended and this is the original message's receipt
 */
public record Receipt(
    String topic, int partition, long offset, Instant timestamp, boolean duplicate) {

  /** The same receipt marked as answering a duplicate send. */
  public Receipt asDuplicate() {
    return new Receipt(topic, partition, offset, timestamp, true);
  }
}
