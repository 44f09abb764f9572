package io.sluice.storage.jdbc.internal;

import io.sluice.spi.Service;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Retention#enforce()} every {@code interval} on one daemon thread. Follows the {@link
 * Service} lifecycle: close before start is fine, a second start (or a start after close) throws
 * {@link IllegalStateException}, close is idempotent and waits for the thread to end.
 */
public final class RetentionService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

  private final Retention retention;
  private final Duration interval;
  private final String target;
  private final ReentrantLock lock = new ReentrantLock();
  private ScheduledExecutorService scheduler;
  private boolean started;
  private boolean closed;

  /** A service applying {@code retention} every {@code interval}; {@code target} names the DB. */
  public RetentionService(Retention retention, Duration interval, String target) {
    this.retention = retention;
    this.interval = interval;
    this.target = target;
  }

  @Override
  public void start() {
    lock.lock();
    try {
      if (started || closed) {
        throw new IllegalStateException(
            closed ? "retention service is closed" : "retention service already started");
      }
      started = true;
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("sluice-jdbc-retention").unstarted(r));
      long millis = interval.toMillis();
      scheduler.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    } finally {
      lock.unlock();
    }
  }

  private void runOnce() {
    try {
      long removed = retention.enforce();
      if (removed > 0) {
        LOG.debug("retention removed {} messages on {}", removed, target);
      }
    } catch (RuntimeException e) {
      LOG.warn("retention failed on {}; will retry in {}", target, interval, e);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService s;
    lock.lock();
    try {
      closed = true;
      s = scheduler;
      scheduler = null;
    } finally {
      lock.unlock();
    }
    if (s == null) {
      return;
    }
    s.shutdownNow();
    try {
      if (!s.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("retention thread on {} did not stop within 30 s", target);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
