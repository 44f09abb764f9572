package io.sluice.storage.file.internal.io;

import io.sluice.api.error.StorageFailedException;
import io.sluice.api.internal.LoopService;
import io.sluice.api.internal.Threads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for {@code SYNC}: one thread per store turns many senders' writes into one force per
 * file. A sender writes its batch (one positional write, under its partition's lock), then calls
 * {@link #request} and waits on the returned round with {@link #await}. The committer thread takes
 * every file requested so far and the round they wait on, forces each file once ({@code fdatasync};
 * several files at the same time), publishes the data as visible, and completes the round; requests
 * arriving meanwhile join the next round. Because a sender registers only after its write returned,
 * the force of its round covers its data.
 *
 * <p>A round that fails for any reason (a failed force, an unexpected exception, an {@link Error})
 * fails its senders with {@link StorageFailedException} and trips the store's {@link FailStop}: no
 * later round succeeds. A sender never waits for ever: {@link #await} gives up after the round
 * timeout, fails the send and trips the fail-stop too. The lifecycle is {@link LoopService}'s;
 * requests made before close are still forced by the loop's last pass.
 */
public final class GroupCommitter extends LoopService {
  /** The longest the committer waits for in-progress writes before a force: 1 ms. */
  static final long GATHER_NANOS = 1_000_000;

  /** How long an idle committer sleeps before looking again (a request wakes it at once). */
  private static final long IDLE_MILLIS = 1_000;

  private final FailStop failStop;
  private final Duration roundTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private List<Forceable> pending = new ArrayList<>();
  private CompletableFuture<Void> round = new CompletableFuture<>();

  /**
   * A committer that trips {@code failStop} when a round fails or a sender waited longer than
   * {@code roundTimeout} for its round.
   */
  public GroupCommitter(FailStop failStop, Duration roundTimeout) {
    super("sluice-group-commit");
    this.failStop = failStop;
    this.roundTimeout = roundTimeout;
  }

  /** Asks for a force of {@code file}; the returned round completes once it covered the caller. */
  public CompletableFuture<Void> request(Forceable file) {
    CompletableFuture<Void> r;
    lock.lock();
    try {
      if (isClosed()) {
        return CompletableFuture.failedFuture(
            new StorageFailedException("store closed before its data was forced", null));
      }
      if (!pending.contains(file)) {
        pending.add(file);
      }
      r = round;
    } finally {
      lock.unlock();
    }
    wake();
    return r;
  }

  /**
   * Waits for a round (or for a value the committer completes, such as a queued batch's base
   * offset), at most the round timeout, ignoring interrupts (they are restored on return). A failed
   * round throws its {@link StorageFailedException}; a round that did not complete in time fails
   * the store and throws.
   */
  public <T> T await(CompletableFuture<T> future) {
    long deadline = System.nanoTime() + roundTimeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new StorageFailedException("group commit failed", e.getCause());
        } catch (TimeoutException e) {
          throw failStop.fail(
              "the group commit did not complete within " + roundTimeout + " (a hung fsync?)", e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  protected void runOnce() throws InterruptedException {
    if (!hasPending()) {
      waitFor(IDLE_MILLIS);
      return;
    }
    gatherWriters();
    commitRound();
  }

  /** The last pass, after close: forces what was requested before close. */
  @Override
  protected void afterLoop() {
    while (hasPending()) {
      commitRound();
    }
  }

  private boolean hasPending() {
    lock.lock();
    try {
      return !pending.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  private void commitRound() {
    List<Forceable> batch;
    CompletableFuture<Void> current;
    lock.lock();
    try {
      batch = pending;
      current = round;
      pending = new ArrayList<>();
      round = new CompletableFuture<>();
    } finally {
      lock.unlock();
    }
    forceAll(batch, current);
  }

  /**
   * Lets writers that are mid-write finish, so they join this round instead of each starting a
   * round of their own (bounded: at most {@link #GATHER_NANOS}, and only while some write is
   * actually in progress, so a lone sender waits for nothing).
   */
  private void gatherWriters() {
    long deadline = System.nanoTime() + GATHER_NANOS;
    while (System.nanoTime() < deadline && anyWriting()) {
      LockSupport.parkNanos(20_000);
    }
  }

  private boolean anyWriting() {
    lock.lock();
    try {
      for (Forceable f : pending) {
        if (f.writesInProgress()) {
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forces the files of one round at the same time, each on a virtual thread, so that their device
   * waits overlap instead of adding up; returns once all are done, throwing the first failure.
   */
  private static void forceConcurrently(List<Forceable> batch) throws IOException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> forcing = new ArrayList<>(batch.size());
    for (Forceable f : batch) {
      forcing.add(
          Thread.ofVirtual()
              .name("sluice-force")
              .start(
                  () -> {
                    try {
                      f.force();
                    } catch (IOException | RuntimeException | Error e) {
                      failure.compareAndSet(null, e);
                    }
                  }));
    }
    Threads.joinUninterruptibly(forcing);
    switch (failure.get()) {
      case null -> {}
      case IOException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(failure.get());
    }
  }

  private void forceAll(List<Forceable> batch, CompletableFuture<Void> current) {
    try {
      failStop.check();
      if (batch.size() == 1) {
        batch.get(0).force();
      } else {
        forceConcurrently(batch);
      }
      failStop.check(); // the store failed during the round (a rotation's force, say)
      current.complete(null);
    } catch (StorageFailedException e) {
      if (failStop.cause() == null) {
        failStop.fail("group commit failed", e);
      }
      fail(batch, current, e); // the store had already failed, or fails now
    } catch (IOException e) {
      fail(batch, current, failStop.fail("force (fsync) failed", e));
    } catch (RuntimeException | Error e) {
      fail(batch, current, failStop.fail("group commit failed", e));
    }
  }

  private static void fail(
      List<Forceable> batch, CompletableFuture<Void> current, RuntimeException failure) {
    for (Forceable f : batch) {
      f.failQueued(failure);
      f.discardUnforced();
    }
    current.completeExceptionally(failure);
  }
}
