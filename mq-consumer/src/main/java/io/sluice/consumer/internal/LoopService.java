package io.sluice.consumer.internal;

import io.sluice.api.internal.Threads;
import io.sluice.spi.Service;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Service} that runs {@link #runOnce()} on one platform thread until closed. Start at most
 * once; close is idempotent, allowed before start, and joins the thread. {@link #waitFor(long)}
 * sleeps interruptibly until the next round, woken early by {@link #wake()} or close.
 */
abstract class LoopService implements Service {
  private static final Logger LOG = LoggerFactory.getLogger(LoopService.class);

  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private Thread thread;
  private boolean started;
  private volatile boolean closed;
  private volatile boolean woken;

  LoopService(String threadName) {
    this.threadName = threadName;
  }

  /** One round of work; exceptions are logged and the loop goes on. */
  protected abstract void runOnce() throws InterruptedException;

  /** Called once on the loop thread after the last round, before close returns. */
  protected void afterLoop() {}

  @Override
  public void start() {
    lock.lock();
    try {
      if (started || closed) {
        throw new IllegalStateException(threadName + " was already started or closed");
      }
      started = true;
      thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    try {
      while (!closed) {
        try {
          runOnce();
        } catch (InterruptedException e) {
          if (!closed) {
            LOG.warn("{} interrupted while running; stopping", threadName);
          }
          break;
        } catch (RuntimeException | Error e) {
          LOG.warn("{} failed a round; continuing", threadName, e);
          onLoopError(e);
          pause(100);
        }
      }
    } finally {
      afterLoop();
    }
  }

  private void pause(long millis) {
    try {
      waitFor(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Hook for errors escaping {@link #runOnce()}. */
  protected void onLoopError(Throwable error) {}

  /** Whether close was called. */
  protected final boolean isClosed() {
    return closed;
  }

  /** Waits up to {@code millis} (at least 1) or until woken or closed. */
  protected final void waitFor(long millis) throws InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, millis));
      while (!woken && !closed && nanos > 0) {
        nanos = wakeUp.awaitNanos(nanos);
      }
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the current {@link #waitFor(long)} early. */
  final void wake() {
    if (woken) {
      return; // already pending: the next wait returns at once
    }
    lock.lock();
    try {
      woken = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      wakeUp.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      Threads.joinUninterruptibly(List.of(t));
    }
  }
}
