package io.sluice.consumer.admin;

import io.sluice.api.error.InvalidConfigException;
import io.sluice.consumer.DeadLetter;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Selects dead-letter entries: every condition that is set must hold; an empty filter ({@link
 * #ALL}) accepts every entry.
 *
 * <pre>{@code
 * DeadLetterFilter billingTimeouts = DeadLetterFilter.ALL
 *     .withGroup("billing")
 *     .withText("timeout")
 *     .between(Instant.parse("2026-12-01T00:00:00Z"), null);
 * admin.redrive("orders.dlq", billingTimeouts);
 * }</pre>
 *
 * @param group the group that dead-lettered the entry, or null for any
 * @param originalTopic the topic the entry came from, or null for any
 * @param text a substring, matched without regard to case, of the entry's reason, error class or
 *     error message; null for any
 * @param from the earliest dead-letter time accepted (inclusive), or null
 * @param until the latest dead-letter time accepted (exclusive), or null
 */
public record DeadLetterFilter(
    String group, String originalTopic, String text, Instant from, Instant until)
    implements Predicate<DeadLetter> {

  /** Accepts every entry. */
  public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null, null);

  public DeadLetterFilter {
    if (from != null && until != null && !from.isBefore(until)) {
      throw new InvalidConfigException(
          "dead-letter filter: expected from before until, found from "
              + from
              + " and until "
              + until);
    }
  }

  /** This filter, also requiring the group that dead-lettered the entry. */
  public DeadLetterFilter withGroup(String group) {
    return new DeadLetterFilter(group, originalTopic, text, from, until);
  }

  /** This filter, also requiring the topic the entry came from. */
  public DeadLetterFilter withOriginalTopic(String originalTopic) {
    return new DeadLetterFilter(group, originalTopic, text, from, until);
  }

  /** This filter, also requiring {@code text} in the reason, error class or error message. */
  public DeadLetterFilter withText(String text) {
    return new DeadLetterFilter(group, originalTopic, text, from, until);
  }

  /**
   * This filter, also requiring a dead-letter time in {@code [from, until)}; either may be null.
   */
  public DeadLetterFilter between(Instant from, Instant until) {
    return new DeadLetterFilter(group, originalTopic, text, from, until);
  }

  /**
   * Whether {@code entry} matches. Its time is {@link DeadLetter#lastFailureAt()}, or the time the
   * entry was stored when that header is missing.
   */
  @Override
  public boolean test(DeadLetter entry) {
    if (group != null && !group.equals(entry.group())) {
      return false;
    }
    if (originalTopic != null && !originalTopic.equals(entry.originalTopic())) {
      return false;
    }
    if (text != null
        && !(contains(entry.reason())
            || contains(entry.errorClass())
            || contains(entry.errorMessage()))) {
      return false;
    }
    Instant at =
        entry.lastFailureAt() != null ? entry.lastFailureAt() : entry.message().timestamp();
    if (from != null && (at == null || at.isBefore(from))) {
      return false;
    }
    return until == null || (at != null && at.isBefore(until));
  }

  private boolean contains(String value) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
  }
}
