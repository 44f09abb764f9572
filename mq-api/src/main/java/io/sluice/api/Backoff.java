package io.sluice.api;

import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff: the delay before retry {@code n} (after the {@code n}-th failed attempt) is
 * {@code min(max, initial × multiplier^(n-1))}, then reduced by up to {@code jitter} of itself at
 * random, so retries of many messages spread out and the cap is never exceeded.
 *
 * <p>{@link #DEFAULT} (1 s, ×2, max 5 min, jitter 0.2), before jitter:
 *
 * <table>
 *   <caption>Default delays</caption>
 *   <tr><th>attempt</th><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td>
 *       <td>8</td><td>9</td><td>10+</td></tr>
 *   <tr><th>delay</th><td>1 s</td><td>2 s</td><td>4 s</td><td>8 s</td><td>16 s</td><td>32 s</td>
 *       <td>64 s</td><td>128 s</td><td>256 s</td><td>300 s (cap)</td></tr>
 * </table>
 *
 * <p>With jitter 0.2 each delay is drawn uniformly from {@code [0.8 × d, d]}.
 *
 * @param initial the first delay; zero or positive
 * @param multiplier growth per attempt; at least 1
 * @param max the cap; at least {@code initial}
 * @param jitter fraction of the delay removed at random, 0 (none) to 1
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

  /** 1 s, ×2, capped at 5 minutes, jitter 0.2. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2);

  public Backoff {
    Validation.nonNegative("backoff initial delay", initial);
    Validation.nonNegative("backoff max delay", max);
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new InvalidConfigException(
          "backoff multiplier must be a finite number >= 1, found " + multiplier);
    }
    if (max.compareTo(initial) < 0) {
      throw new InvalidConfigException(
          "backoff max delay " + max + " must be at least the initial delay " + initial);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new InvalidConfigException("backoff jitter must be 0 to 1, found " + jitter);
    }
  }

  /** Exponential backoff without jitter. */
  public static Backoff exponential(Duration initial, double multiplier, Duration max) {
    return new Backoff(initial, multiplier, max, 0.0);
  }

  /** The same delay every time. */
  public static Backoff fixed(Duration delay) {
    return new Backoff(delay, 1.0, delay, 0.0);
  }

  /** This backoff with another jitter. */
  public Backoff withJitter(double jitter) {
    return new Backoff(initial, multiplier, max, jitter);
  }

  /**
   * The delay before the retry that follows failed attempt {@code attempt}, without jitter: the
   * upper bound of {@link #delay(int, double)}.
   *
   * @param attempt 1 for the first failure
   */
  public Duration baseDelay(int attempt) {
    if (attempt < 1) {
      throw new InvalidConfigException("attempt must be at least 1, found " + attempt);
    }
    double nanos = initial.toNanos() * Math.pow(multiplier, attempt - 1);
    long maxNanos = max.toNanos();
    return nanos >= maxNanos ? max : Duration.ofNanos((long) nanos);
  }

  /**
   * The delay for {@code attempt} with jitter applied from {@code uniform}: a pure function.
   *
   * @param attempt 1 for the first failure
   * @param uniform a number in {@code [0, 1)}; 0 gives the full delay
   */
  public Duration delay(int attempt, double uniform) {
    if (!(uniform >= 0.0 && uniform < 1.0)) {
      throw new InvalidConfigException("uniform must be in [0, 1), found " + uniform);
    }
    Duration base = baseDelay(attempt);
    if (jitter == 0.0) {
      return base;
    }
    return Duration.ofNanos((long) (base.toNanos() * (1.0 - jitter * uniform)));
  }

  /** The delay for {@code attempt} with jitter drawn from {@code random}. */
  public Duration delay(int attempt, RandomGenerator random) {
    return delay(attempt, random.nextDouble());
  }
}
