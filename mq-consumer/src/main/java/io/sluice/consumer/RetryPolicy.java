package io.sluice.consumer;

import io.sluice.api.Backoff;
import io.sluice.api.error.InvalidConfigException;
import java.util.List;

/**
 * How a consumer group retries a failing message: at most {@code maxAttempts} deliveries in all,
 * waiting {@link Backoff#delay} between them, and never retrying the exceptions listed as not
 * retryable (they go straight to the dead-letter topic).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.maxAttempts(5)
 *     .backoff(Backoff.DEFAULT)
 *     .notRetryable(IllegalArgumentException.class);
 * }</pre>
 *
 * @param maxAttempts deliveries before the message is dead-lettered, at least 1 (1 means no retry)
 * @param backoff the delay before each retry
 * @param notRetryable exception types (and their subclasses) that dead-letter at once
 */
public record RetryPolicy(
    int maxAttempts, Backoff backoff, List<Class<? extends Throwable>> notRetryable) {

  /** Five attempts with {@link Backoff#DEFAULT}; every exception retryable. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Backoff.DEFAULT, List.of());

  /**
   * Validates the policy.
   *
   * @throws InvalidConfigException for fewer than one attempt or a null backoff or list
   */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new InvalidConfigException("maxAttempts must be at least 1, found " + maxAttempts);
    }
    if (backoff == null) {
      throw new InvalidConfigException("backoff must not be null");
    }
    if (notRetryable == null || notRetryable.stream().anyMatch(t -> t == null)) {
      throw new InvalidConfigException("notRetryable must not be or contain null");
    }
    notRetryable = List.copyOf(notRetryable);
  }

  /** {@link #DEFAULT} with another number of attempts. */
  public static RetryPolicy maxAttempts(int maxAttempts) {
    return new RetryPolicy(maxAttempts, Backoff.DEFAULT, List.of());
  }

  /** One attempt: the first failure dead-letters the message. */
  public static RetryPolicy none() {
    return maxAttempts(1);
  }

  /** This policy with another backoff. */
  public RetryPolicy backoff(Backoff backoff) {
    return new RetryPolicy(maxAttempts, backoff, notRetryable);
  }

  /** This policy plus more exception types that are never retried. */
  @SafeVarargs
  public final RetryPolicy notRetryable(Class<? extends Throwable>... types) {
    List<Class<? extends Throwable>> all = new java.util.ArrayList<>(notRetryable);
    for (Class<? extends Throwable> type : types) {
      if (type == null) {
        throw new InvalidConfigException("notRetryable must not contain null");
      }
      all.add(type);
    }
    return new RetryPolicy(maxAttempts, backoff, all);
  }

  /** Whether {@code error} may be retried: false when it is an instance of a listed type. */
  public boolean isRetryable(Throwable error) {
    for (Class<? extends Throwable> type : notRetryable) {
      if (type.isInstance(error)) {
        return false;
      }
    }
    return true;
  }

  /** Whether another delivery may follow failed attempt {@code attempt}. */
  public boolean hasAttemptsLeft(int attempt) {
    return attempt < maxAttempts;
  }
}
