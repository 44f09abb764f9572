package io.sluice.storage.file.internal.io;

import io.sluice.api.error.StorageFailedException;
import io.sluice.api.internal.Threads;
import io.sluice.spi.Service;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for {@code SYNC}: one thread per store turns many senders' writes into one force per
 * file. A sender writes its batch (one positional write, under its partition's lock), then calls
 * {@link #request} and waits on the returned round. The committer thread takes every file requested
 * so far and the round they wait on, forces each file once ({@code fdatasync}; several files at the
 * same time), publishes the data as visible, and completes the round; requests arriving meanwhile
 * join the next round. Because a sender registers only after its write returned, the force of its
 * round covers its data.
 *
 * <p>A failed force fails its round and trips the store's {@link FailStop}: the senders get {@link
 * StorageFailedException}, and no later round succeeds.
 */
public final class GroupCommitter implements Service {
  /** The longest the committer waits for in-progress writes before a force: 1 ms. */
  static final long GATHER_NANOS = 1_000_000;

  private final FailStop failStop;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final AtomicLong forces = new AtomicLong();
  private final AtomicLong forceNanos = new AtomicLong();
  private List<Forceable> pending = new ArrayList<>();
  private CompletableFuture<Void> round = new CompletableFuture<>();
  private Thread thread;
  private boolean closed;

  /** A committer that trips {@code failStop} when a force fails. */
  public GroupCommitter(FailStop failStop) {
    this.failStop = failStop;
  }

  @Override
  public void start() {
    lock.lock();
    try {
      if (thread != null || closed) {
        throw new IllegalStateException("group committer already started or closed");
      }
      thread = Thread.ofPlatform().name("sluice-group-commit").daemon().start(this::run);
    } finally {
      lock.unlock();
    }
  }

  /** Asks for a force of {@code file}; the returned round completes once it covered the caller. */
  public CompletableFuture<Void> request(Forceable file) {
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new StorageFailedException("store closed before its data was forced", null));
      }
      if (!pending.contains(file)) {
        pending.add(file);
      }
      work.signal();
      return round;
    } finally {
      lock.unlock();
    }
  }

  /** Waits for a round; a failed one throws its {@link StorageFailedException}. */
  public static void await(CompletableFuture<Void> round) {
    try {
      round.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new StorageFailedException("group commit failed", e.getCause());
    }
  }

  /** Forces performed and their total time, for the benchmark's fsync latency. */
  public long[] stats() {
    return new long[] {forces.get(), forceNanos.get()};
  }

  private void run() {
    while (true) {
      List<Forceable> batch;
      CompletableFuture<Void> current;
      lock.lock();
      try {
        while (pending.isEmpty() && !closed) {
          work.awaitUninterruptibly();
        }
        if (pending.isEmpty()) {
          return;
        }
      } finally {
        lock.unlock();
      }
      gatherWriters();
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
  }

  /**
   * Lets writers that are mid-write finish, so they join this round instead of each starting a
   * round of their own (bounded: at most {@link #GATHER_NANOS}, and only while some write is
   * actually in progress, so a lone sender waits for nothing).
   */
  private void gatherWriters() {
    long deadline = System.nanoTime() + GATHER_NANOS;
    while (System.nanoTime() < deadline && anyWriting()) {
      java.util.concurrent.locks.LockSupport.parkNanos(20_000);
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

  private void timedForce(Forceable f) throws IOException {
    long t0 = System.nanoTime();
    f.force();
    forceNanos.addAndGet(System.nanoTime() - t0);
    forces.incrementAndGet();
  }

  /**
   * Forces the files of one round at the same time, each on a virtual thread, so that their device
   * waits overlap instead of adding up; returns once all are done, throwing the first failure.
   */
  private void forceConcurrently(List<Forceable> batch) throws IOException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> forcing = new ArrayList<>(batch.size());
    for (Forceable f : batch) {
      forcing.add(
          Thread.ofVirtual()
              .name("sluice-force")
              .start(
                  () -> {
                    try {
                      timedForce(f);
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
        timedForce(batch.get(0));
      } else {
        forceConcurrently(batch);
      }
      current.complete(null);
    } catch (IOException e) {
      RuntimeException failure = failStop.fail("force (fsync) failed", e);
      batch.forEach(f -> f.failQueued(failure));
      current.completeExceptionally(failure);
    } catch (RuntimeException e) {
      batch.forEach(f -> f.failQueued(e));
      current.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      work.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      Threads.joinUninterruptibly(List.of(t));
    }
  }
}
