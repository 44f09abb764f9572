package io.sluice.storage.jdbc.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock that follows the database's clock, so that hosts whose clocks disagree still agree on
 * lease expiry and delivery times. It keeps the offset between the database's {@code
 * clock_timestamp()} and the local clock and re-measures it every {@link #RESAMPLE} (lazily, by at
 * most one caller at a time; the others use the last offset; the very first call waits for the
 * first measurement). If a measurement fails, the last offset stays in use.
 *
 * <p><b>Measurement.</b> A connection is checked out first, outside the timing: a busy pool's wait
 * is not part of the database's round trip (timing it put the estimate 70-110 ms ahead, issue
 * 10.5). Then {@value #SAMPLES} queries are timed on that connection, and the one with the shortest
 * round trip wins: the database read its clock somewhere within that round trip, so its midpoint is
 * off by at most half of it (typically well under a millisecond).
 */
public final class DatabaseClock implements InstantSource {
  /** How often the offset is measured again. */
  public static final Duration RESAMPLE = Duration.ofSeconds(30);

  /** Queries timed per measurement; the fastest round trip is used. */
  static final int SAMPLES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseClock.class);

  private final Jdbi jdbi;
  private final String query;
  private final InstantSource local;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile long offsetNanos;
  private volatile long sampledAtNanos = Long.MIN_VALUE;

  /** A clock that reads the database's time with {@code query}, comparing with {@code local}. */
  public DatabaseClock(Jdbi jdbi, String query, InstantSource local) {
    this.jdbi = jdbi;
    this.query = query;
    this.local = local;
  }

  @Override
  public Instant instant() {
    long nowNanos = System.nanoTime();
    long last = sampledAtNanos;
    if (last == Long.MIN_VALUE) {
      sampleFirst(nowNanos);
    } else if (nowNanos - last > RESAMPLE.toNanos()) {
      sample(nowNanos);
    }
    return local.instant().plusNanos(offsetNanos);
  }

  /** The current offset of the database clock from the local one. */
  public Duration offset() {
    return Duration.ofNanos(offsetNanos);
  }

  /** The first measurement: every caller waits for it rather than use an unmeasured offset. */
  private void sampleFirst(long nowNanos) {
    lock.lock();
    try {
      if (sampledAtNanos == Long.MIN_VALUE) {
        measure(nowNanos);
      }
    } finally {
      lock.unlock();
    }
  }

  private void sample(long nowNanos) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      measure(nowNanos);
    } finally {
      lock.unlock();
    }
  }

  private void measure(long nowNanos) {
    try (Handle h = jdbi.open()) {
      long bestRoundTrip = Long.MAX_VALUE;
      long best = offsetNanos;
      for (int i = 0; i < SAMPLES; i++) {
        Instant before = local.instant();
        long start = System.nanoTime();
        Instant db =
            h.createQuery(query)
                .map((rs, ctx) -> ctx.getConfig(DialectConfig.class).dialect().readInstant(rs, 1))
                .one();
        long roundTrip = System.nanoTime() - start;
        Instant after = local.instant();
        if (roundTrip < bestRoundTrip) {
          bestRoundTrip = roundTrip;
          Instant mid = before.plus(Duration.between(before, after).dividedBy(2));
          best = Duration.between(mid, db).toNanos();
        }
      }
      offsetNanos = best;
    } catch (RuntimeException e) {
      LOG.warn("could not read the database clock; keeping offset {}", offset(), e);
    }
    sampledAtNanos = nowNanos;
  }
}
