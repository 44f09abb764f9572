package io.sluice.spring.listener;

import io.sluice.api.Backoff;
import io.sluice.api.error.InvalidConfigException;
import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/**
 * The text form of a {@link Backoff} used by {@link SluiceListener#backoff()} and {@code
 * sluice.listener.backoff}: {@code initial[,multiplier[,max[,jitter]]]}.
 *
 * <table>
 *   <caption>Examples</caption>
 *   <tr><th>text</th><th>meaning</th></tr>
 *   <tr><td>{@code 500ms}</td><td>500 ms before every retry</td></tr>
 *   <tr><td>{@code 1s,2.0}</td><td>1 s, 2 s, 4 s, ... capped at 5 minutes</td></tr>
 *   <tr><td>{@code 1s,2.0,5m}</td><td>1 s, doubling, capped at 5 minutes (jitter 0.2)</td></tr>
 *   <tr><td>{@code 100ms,3,10s,0}</td><td>100 ms, 300 ms, 900 ms, ... capped at 10 s, no
 *       jitter</td></tr>
 * </table>
 *
 * Durations use Spring Boot's forms ({@code 250ms}, {@code 2s}, {@code 5m}, {@code PT1S}; a bare
 * number is milliseconds). A multiplier of 1 (the default with one field) means a fixed delay; the
 * jitter defaults to 0.2 with a multiplier above 1 and to 0 otherwise.
 */
public final class BackoffFormat {
  private static final Duration DEFAULT_MAX = Duration.ofMinutes(5);
  private static final double DEFAULT_JITTER = 0.2;

  private BackoffFormat() {}

  /**
   * Parses {@code text}.
   *
   * @throws InvalidConfigException when the text does not follow the form above or the values are
   *     out of range; the message quotes the text
   */
  public static Backoff parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidConfigException(
          "backoff must be initial[,multiplier[,max[,jitter]]], found an empty value");
    }
    String[] parts = text.split(",", -1);
    if (parts.length > 4) {
      throw invalid(text, "expected at most 4 comma-separated fields, found " + parts.length);
    }
    Duration initial = duration(text, parts[0]);
    double multiplier = parts.length > 1 ? number(text, parts[1], "multiplier") : 1.0;
    Duration max;
    if (parts.length > 2) {
      max = duration(text, parts[2]);
    } else {
      max =
          multiplier == 1.0 ? initial : DEFAULT_MAX.compareTo(initial) < 0 ? initial : DEFAULT_MAX;
    }
    double jitter;
    if (parts.length > 3) {
      jitter = number(text, parts[3], "jitter");
    } else {
      jitter = multiplier == 1.0 ? 0.0 : DEFAULT_JITTER;
    }
    try {
      return new Backoff(initial, multiplier, max, jitter);
    } catch (InvalidConfigException e) {
      throw invalid(text, e.getMessage());
    }
  }

  /** The text form of {@code backoff}, which {@link #parse} reads back to an equal value. */
  public static String format(Backoff backoff) {
    return backoff.initial().toMillis()
        + "ms,"
        + backoff.multiplier()
        + ","
        + backoff.max().toMillis()
        + "ms,"
        + backoff.jitter();
  }

  private static Duration duration(String text, String field) {
    try {
      return DurationStyle.detectAndParse(field.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(text, "\"" + field.trim() + "\" is not a duration such as 500ms, 2s or 5m");
    }
  }

  private static double number(String text, String field, String what) {
    try {
      return Double.parseDouble(field.trim());
    } catch (NumberFormatException e) {
      throw invalid(text, what + " \"" + field.trim() + "\" is not a number");
    }
  }

  private static InvalidConfigException invalid(String text, String why) {
    return new InvalidConfigException(
        "backoff must be initial[,multiplier[,max[,jitter]]] (for example 1s,2.0,5m), found \""
            + text
            + "\": "
            + why);
  }
}
