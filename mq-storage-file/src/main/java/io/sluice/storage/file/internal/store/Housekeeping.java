package io.sluice.storage.file.internal.store;

import io.sluice.api.internal.LoopService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The file store's background work, on one thread so that none of it runs concurrently with the
 * rest: retention and key expiry every {@code retentionEvery}, group-state compaction as soon as it
 * is {@linkplain #askCompaction() asked for} (the journal passed its limit), and under {@code
 * INTERVAL} a force of everything written every {@code flushEvery}. Never on a send path. The
 * lifecycle is {@link LoopService}'s; each task handles its own failures.
 */
final class Housekeeping extends LoopService {
  private final long retentionNanos;
  private final Runnable retention;
  private final long flushNanos;
  private final Runnable flush;
  private final Runnable compaction;
  private final AtomicBoolean compactionAsked = new AtomicBoolean();
  private long nextRetention;
  private long nextFlush;
  private boolean scheduled;

  /**
   * @param flushEvery the {@code INTERVAL} period, or null for no forcing
   */
  Housekeeping(
      Duration retentionEvery,
      Runnable retention,
      Duration flushEvery,
      Runnable flush,
      Runnable compaction) {
    super("sluice-file-background");
    this.retentionNanos = Math.max(1, retentionEvery.toNanos());
    this.retention = retention;
    this.flushNanos = flushEvery == null ? 0 : Math.max(1_000_000, flushEvery.toNanos());
    this.flush = flush;
    this.compaction = compaction;
  }

  /** Runs a compaction soon, on this loop's thread. */
  void askCompaction() {
    compactionAsked.set(true);
    wake();
  }

  @Override
  protected void runOnce() throws InterruptedException {
    long now = System.nanoTime();
    if (!scheduled) {
      nextRetention = now + retentionNanos;
      nextFlush = now + flushNanos;
      scheduled = true;
    }
    if (flushNanos > 0 && now - nextFlush >= 0) {
      flush.run();
      nextFlush = System.nanoTime() + flushNanos;
    }
    if (now - nextRetention >= 0) {
      retention.run(); // compacts too when the journal is over its limit
      nextRetention = System.nanoTime() + retentionNanos;
    } else if (compactionAsked.getAndSet(false)) {
      compaction.run();
    }
    long next =
        flushNanos > 0 ? Math.min(nextRetention - now, nextFlush - now) : nextRetention - now;
    if (!compactionAsked.get()) {
      waitFor(TimeUnit.NANOSECONDS.toMillis(Math.max(0, next - (System.nanoTime() - now))));
    }
  }
}
