package io.sluice.storage.file.internal.state;

import io.sluice.api.internal.Validation;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Time inside the group state: epoch microseconds in a {@code long}, so claims and acks compare and
 * add numbers instead of {@link Instant}s. Microseconds hold every instant a message may carry
 * ({@link Validation#MIN_INSTANT} to {@link Validation#MAX_INSTANT}) exactly; {@link #NONE} marks
 * an absent time.
 */
final class Micros {
  /** No time. */
  static final long NONE = Long.MIN_VALUE;

  /** {@link Validation#MAX_INSTANT}: later instants are capped to it. */
  static final long MAX = of(Validation.MAX_INSTANT);

  private Micros() {}

  /** The clock's time. */
  static long now(InstantSource clock) {
    return of(clock.instant());
  }

  /** {@code t} rounded down to the microsecond, capped to {@link #MAX}. */
  static long of(Instant t) {
    if (t.isAfter(Validation.MAX_INSTANT)) {
      return MAX;
    }
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  /** {@code t} rounded up to the microsecond (a time not to act before), or {@link #NONE}. */
  static long ceilOf(Instant t) {
    if (t == null) {
      return NONE;
    }
    long m = of(t);
    return t.getNano() % 1000 != 0 && m < MAX ? m + 1 : m;
  }

  /** The instant of {@code micros}, or null for {@link #NONE}. */
  static Instant instant(long micros) {
    if (micros == NONE) {
      return null;
    }
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
  }

  /**
   * {@code t + d} rounded up to the microsecond, capped to {@link #MAX} (a duration of 10,000 years
   * is "for ever"); a negative {@code d} counts as zero.
   */
  static long plus(long t, Duration d) {
    if (d.isNegative()) {
      return t;
    }
    if (d.getSeconds() >= (MAX - t) / 1_000_000) {
      return MAX;
    }
    long r = t + d.getSeconds() * 1_000_000 + (d.getNano() + 999) / 1000;
    return Math.min(r, MAX);
  }

  /** Epoch milliseconds of {@code micros}. */
  static long millis(long micros) {
    return Math.floorDiv(micros, 1000);
  }
}
