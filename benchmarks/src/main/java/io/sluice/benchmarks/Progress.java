package io.sluice.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Progress of a long benchmark run, on standard error so that the figures on standard output stay
 * clean: every few seconds one line naming the phase that runs, how far it is (items done of the
 * total, or seconds of a timed phase) and the rate since the previous line, for example
 *
 * <pre>
 * [progress]  12.0 s  sluice OS append, 1 msg/call: 1,402,112 of 2,000,000 (70%), 1,190,334/s
 * [progress]  16.0 s  sluice SYNC, 8 senders: 2.0 of 4.0 s, 61,020 done, 30,511/s
 * </pre>
 *
 * A phase is opened with {@link #count} or {@link #timed} in a try-with-resources block; the loop
 * it measures publishes its count through the {@link LongSupplier} it was given (an {@code
 * AtomicLong} updated with {@code lazySet}, which costs the loop next to nothing). One phase runs
 * at a time. The interval is 5 seconds; {@code -Dsluice.bench.progress=2s} changes it and {@code
 * -Dsluice.bench.progress=0} turns the lines off.
 */
public final class Progress implements AutoCloseable {
  private static final AtomicReference<Progress> CURRENT = new AtomicReference<>();
  private static final long RUN_START = System.nanoTime();
  private static final Duration INTERVAL = interval(System.getProperty("sluice.bench.progress"));
  private static volatile Thread ticker;

  private final String phase;
  private final long total;
  private final Duration length;
  private final LongSupplier done;
  private final long start;
  private long lastDone;
  private long lastNanos;

  private Progress(String phase, long total, Duration length, LongSupplier done, long now) {
    this.phase = phase;
    this.total = total;
    this.length = length;
    this.done = done;
    this.start = now;
    this.lastNanos = now;
  }

  /** A phase that is done after {@code total} items; {@code done} reports how many are. */
  public static Progress count(String phase, long total, LongSupplier done) {
    return begin(new Progress(phase, total, null, done, System.nanoTime()));
  }

  /** A phase that runs for {@code length}; {@code done} reports the items done so far. */
  public static Progress timed(String phase, Duration length, LongSupplier done) {
    return begin(new Progress(phase, -1, length, done, System.nanoTime()));
  }

  private static Progress begin(Progress p) {
    CURRENT.set(p);
    if (!INTERVAL.isZero()) {
      startTicker();
    }
    return p;
  }

  /** Ends the phase: no more lines about it. */
  @Override
  public void close() {
    CURRENT.compareAndSet(this, null);
  }

  /**
   * The line for this phase at {@code now} (nanoTime), with the rate since the previous line, and
   * remembers {@code now} as the previous line's time.
   */
  String line(long now) {
    long d = done.getAsLong();
    double rate = (d - lastDone) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastDone = d;
    lastNanos = now;
    String where =
        length != null
            ? String.format(
                Locale.ROOT,
                "%.1f of %.1f s, %,d done",
                (now - start) / 1e9,
                length.toMillis() / 1e3,
                d)
            : String.format(
                Locale.ROOT, "%,d of %,d (%d%%)", d, total, total > 0 ? 100 * d / total : 0);
    return String.format(
        Locale.ROOT,
        rate < 100 ? "[progress] %5.1f s  %s: %s, %,.1f/s" : "[progress] %5.1f s  %s: %s, %,.0f/s",
        (now - RUN_START) / 1e9,
        phase,
        where,
        rate);
  }

  /** Parses the interval property: a number of seconds with an optional {@code s}; null: 5 s. */
  static Duration interval(String value) {
    if (value == null || value.isBlank()) {
      return Duration.ofSeconds(5);
    }
    String v = value.strip();
    if (v.endsWith("s")) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      double seconds = Double.parseDouble(v);
      if (seconds < 0 || Double.isNaN(seconds)) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sluice.bench.progress must be a number of seconds such as 5s or 0 (off), found " + value,
          e);
    }
  }

  private static synchronized void startTicker() {
    if (ticker != null) {
      return;
    }
    ticker =
        Thread.ofPlatform()
            .daemon()
            .name("benchmark-progress")
            .start(() -> tick(System.err, INTERVAL.toMillis()));
  }

  private static void tick(PrintStream out, long millis) {
    try {
      while (true) {
        Thread.sleep(millis);
        Progress p = CURRENT.get();
        if (p != null) {
          out.println(p.line(System.nanoTime()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
