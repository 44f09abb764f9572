package io.sluice.spi;

/**
 * Names one lease grant: the message's position and a fencing token that is different for every
 * grant of that message to the group (re-claims after expiry, retries, seeks). Acks, releases and
 * extensions carry it; the store rejects those whose token is not the current, unexpired grant.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the message's offset
 * @param token backend-chosen fencing token: different for every grant of this message to this
 *     group, and different for every lease returned by one claim
 */
public record DeliveryId(String topic, int partition, long offset, long token) {
  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset + "#" + token;
  }
}
