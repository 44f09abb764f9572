package io.sluice.api.internal;

import io.sluice.spi.Service;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lifecycle of Sluice's background loops (group commit, retention, claiming, lease keeping,
 * ack batching): a {@link Service} that runs {@link #runOnce()} on one platform daemon thread until
 * closed. Start at most once; close is idempotent, allowed before start, and joins the thread (so
 * no loop outlives its owner). {@link #waitFor(long)} sleeps until the next round, woken early by
 * {@link #wake()} or close. An exception escaping a round is logged and the loop goes on after a
 * short pause; {@link #afterLoop()} runs once on the loop thread after the last round.
 */
public abstract class LoopService implements Service {
  private static final System.Logger LOG = System.getLogger(LoopService.class.getName());

  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private Thread thread;
  private boolean started;
  private volatile boolean closed;
  private volatile boolean woken;

  /** A loop whose thread has this name. */
  protected LoopService(String threadName) {
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
            LOG.log(
                System.Logger.Level.WARNING, threadName + " interrupted while running; stopping");
          }
          break;
        } catch (RuntimeException | Error e) {
          LOG.log(System.Logger.Level.WARNING, threadName + " failed a round; continuing", e);
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
  public final void wake() {
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
