package io.sluice.cli.internal;

import io.sluice.api.Position;
import io.sluice.cli.ExitCodes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses positions and times given on the command line. */
final class Positions {
  private Positions() {}

  /** {@code earliest}, {@code latest}, an offset, or a time (see {@link #instant}). */
  static Position parse(String text) {
    String t = text.trim();
    if (t.equalsIgnoreCase("earliest")) {
      return Position.EARLIEST;
    }
    if (t.equalsIgnoreCase("latest")) {
      return Position.LATEST;
    }
    if (t.matches("\\d+")) {
      return Position.offset(Long.parseLong(t));
    }
    return Position.timestamp(instant(t));
  }

  /**
   * An ISO-8601 time: {@code 2026-12-03T10:15:30Z}, with an offset ({@code +01:00}), or a date
   * ({@code 2026-12-03}, midnight UTC).
   */
  static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        try {
          return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e3) {
          throw new CliException(
              ExitCodes.USAGE,
              "expected earliest, latest, an offset or an ISO-8601 time such as"
                  + " 2026-12-03T10:15:30Z, found '"
                  + text
                  + "'");
        }
      }
    }
  }
}
