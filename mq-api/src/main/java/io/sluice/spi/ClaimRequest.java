package io.sluice.spi;

import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.internal.Validation;
import java.time.Duration;

/**
 * Asks for up to {@code maxMessages} visible messages of one topic for one group.
 *
 * @param group the consumer group
 * @param topic the topic
 * @param maxMessages 1 to 10,000
 * @param lease how long the claimed messages stay reserved for the caller
 * @param ordering {@link Ordering#KEY_ORDERED} holds back later messages of a key in flight
 * @param startPosition where the group starts in a partition it has never consumed
 * @param member a name for the claiming member, for diagnostics only (may be null)
 */
public record ClaimRequest(
    String group,
    String topic,
    int maxMessages,
    Duration lease,
    Ordering ordering,
    Position startPosition,
    String member) {

  /** The largest {@code maxMessages}. */
  public static final int MAX_CLAIM = 10_000;

  public ClaimRequest {
    Validation.group(group);
    Validation.topic(topic);
    Validation.atLeast("maxMessages", maxMessages, 1);
    if (maxMessages > MAX_CLAIM) {
      throw new io.sluice.api.error.InvalidConfigException(
          "maxMessages must be at most " + MAX_CLAIM + ", found " + maxMessages);
    }
    Validation.positive("lease", lease);
    Validation.required("ordering", ordering);
    Validation.required("startPosition", startPosition);
  }

  /** An unordered claim from the earliest position. */
  public static ClaimRequest of(String group, String topic, int maxMessages, Duration lease) {
    return new ClaimRequest(
        group, topic, maxMessages, lease, Ordering.UNORDERED, Position.EARLIEST, null);
  }

  public ClaimRequest withOrdering(Ordering ordering) {
    return new ClaimRequest(group, topic, maxMessages, lease, ordering, startPosition, member);
  }

  public ClaimRequest withStartPosition(Position startPosition) {
    return new ClaimRequest(group, topic, maxMessages, lease, ordering, startPosition, member);
  }

  public ClaimRequest withMember(String member) {
    return new ClaimRequest(group, topic, maxMessages, lease, ordering, startPosition, member);
  }
}
