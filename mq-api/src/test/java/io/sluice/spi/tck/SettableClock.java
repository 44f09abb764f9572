package io.sluice.spi.tck;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InstantSource} that stands still until a test moves it: tests pass time by calling
 * {@link #advance}, never by sleeping. Thread-safe. It may also be set backwards, to simulate a
 * clock jump.
 */
public final class SettableClock implements InstantSource {
  /** Where a clock made with {@link #SettableClock()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;

  /** A clock standing at {@link #DEFAULT_START}. */
  public SettableClock() {
    this(DEFAULT_START);
  }

  /** A clock standing at {@code start}. */
  public SettableClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock to {@code instant} (forwards or backwards). */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Moves the clock by {@code duration} (negative moves it back) and returns the new time.
   *
   * @throws NullPointerException if {@code duration} is null
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return now.updateAndGet(t -> t.plus(duration));
  }

  @Override
  public String toString() {
    return "SettableClock[" + now.get() + "]";
  }
}
