package io.sluice.cli.internal;

import io.sluice.cli.ExitCodes;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Parses durations given on the command line: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * or ISO-8601 ({@code PT30S}).
 */
final class Durations {
  private Durations() {}

  static Duration parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s") && !t.startsWith("p")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m") && !t.startsWith("p")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("h") && !t.startsWith("p")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.parse(text.trim());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "expected a duration such as 500ms, 30s, 5m, 2h or PT30S, found '" + text + "'");
    }
  }
}
