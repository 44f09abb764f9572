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
 * @param start count an attempt for every returned lease in the claim itself, as {@link
 *     Storage#markStarted} would: for a caller that starts a handler on each of them at once (the
 *     runtime, when it has a free handler slot for every message it asks for), this saves a store
 *     call, and on SQL a commit, per claim
 */
public record ClaimRequest(
    String group,
    String topic,
    int maxMessages,
    Duration lease,
    Ordering ordering,
    Position startPosition,
    String member,
    boolean start) {

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

  /** A claim that counts no attempt ({@code start} false). */
  public ClaimRequest(
      String group,
      String topic,
      int maxMessages,
      Duration lease,
      Ordering ordering,
      Position startPosition,
      String member) {
    this(group, topic, maxMessages, lease, ordering, startPosition, member, false);
  }

  /** An unordered claim from the earliest position. */
  public static ClaimRequest of(String group, String topic, int maxMessages, Duration lease) {
    return new ClaimRequest(
        group, topic, maxMessages, lease, Ordering.UNORDERED, Position.EARLIEST, null);
  }

  public ClaimRequest withOrdering(Ordering ordering) {
    return new ClaimRequest(
        group, topic, maxMessages, lease, ordering, startPosition, member, start);
  }

  public ClaimRequest withStartPosition(Position startPosition) {
    return new ClaimRequest(
        group, topic, maxMessages, lease, ordering, startPosition, member, start);
  }

  public ClaimRequest withMember(String member) {
    return new ClaimRequest(
        group, topic, maxMessages, lease, ordering, startPosition, member, start);
  }

  /** This claim, counting an attempt for every lease it returns or not (see {@code start}). */
  public ClaimRequest withStart(boolean start) {
    return new ClaimRequest(
        group, topic, maxMessages, lease, ordering, startPosition, member, start);
  }
}
