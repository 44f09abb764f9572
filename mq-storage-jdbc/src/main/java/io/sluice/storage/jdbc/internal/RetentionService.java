package io.sluice.storage.jdbc.internal;

import io.sluice.api.internal.LoopService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Retention#enforce} every {@code interval} on one daemon thread, with the lifecycle of
 * every background loop ({@link LoopService}): close before start is fine, a second start (or a
 * start after close) throws {@link IllegalStateException}, close is idempotent and waits for the
 * thread to end. A pass under way when the store closes stops before its next topic or partition.
 */
public final class RetentionService extends LoopService {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

  private final Retention retention;
  private final Duration interval;
  private final String target;

  /** A service applying {@code retention} every {@code interval}; {@code target} names the DB. */
  public RetentionService(Retention retention, Duration interval, String target) {
    super("sluice-jdbc-retention");
    this.retention = retention;
    this.interval = interval;
    this.target = target;
  }

  @Override
  protected void runOnce() throws InterruptedException {
    waitFor(interval.toMillis());
    if (isClosed()) {
      return;
    }
    try {
      long removed = retention.enforce(this::isClosed);
      if (removed > 0) {
        LOG.debug("retention removed {} messages on {}", removed, target);
      }
    } catch (RuntimeException e) {
      LOG.warn("retention failed on {}; will retry in {}", target, interval, e);
    }
  }
}
