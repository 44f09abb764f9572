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
 * clock_timestamp()} and the local clock, measured at the midpoint of a round trip, and re-measures
 * it every {@link #RESAMPLE} (lazily, by at most one caller at a time; the others use the last
 * offset). If a measurement fails, the last offset stays in use.
 */
public final class DatabaseClock implements InstantSource {
  /** How often the offset is measured again. */
  public static final Duration RESAMPLE = Duration.ofSeconds(30);

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
    if (sampledAtNanos == Long.MIN_VALUE || nowNanos - sampledAtNanos > RESAMPLE.toNanos()) {
      sample(nowNanos);
    }
    return local.instant().plusNanos(offsetNanos);
  }

  /** The current offset of the database clock from the local one. */
  public Duration offset() {
    return Duration.ofNanos(offsetNanos);
  }

  private void sample(long nowNanos) {
    if (!lock.tryLock()) {
      return;
    }
    try {
      Instant before = local.instant();
      Instant db;
      try (Handle h = jdbi.open()) {
        db = h.createQuery(query).mapTo(java.time.OffsetDateTime.class).one().toInstant();
      }
      Instant after = local.instant();
      Instant mid = before.plus(Duration.between(before, after).dividedBy(2));
      offsetNanos = Duration.between(mid, db).toNanos();
      sampledAtNanos = nowNanos;
    } catch (RuntimeException e) {
      LOG.warn("could not read the database clock; keeping offset {}", offset(), e);
      sampledAtNanos = nowNanos;
    } finally {
      lock.unlock();
    }
  }
}
