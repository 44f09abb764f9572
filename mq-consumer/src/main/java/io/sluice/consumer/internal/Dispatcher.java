package io.sluice.consumer.internal;

import io.sluice.api.Ordering;
import io.sluice.consumer.GroupConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs handler tasks: on virtual threads gated by a semaphore of {@code concurrency} permits, or on
 * a fixed pool of {@code concurrency} platform threads. Under {@link Ordering#KEY_ORDERED} the
 * tasks of one key form a lane: each starts only after the previous one of that key finished, while
 * other keys run in parallel. (The store already hands out one message per key at a time; lanes
 * keep that order inside the member even if it did not.)
 */
final class Dispatcher {
  private final ExecutorService executor;
  private final Semaphore running;
  private final boolean lanes;
  private final ConcurrentHashMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

  Dispatcher(GroupConfig config) {
    String prefix = "sluice-" + config.group() + "-handler-";
    if (config.virtualThreads()) {
      executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 0).factory());
      running = new Semaphore(config.concurrency());
    } else {
      executor =
          Executors.newFixedThreadPool(
              config.concurrency(), Thread.ofPlatform().name(prefix, 0).daemon(true).factory());
      running = null;
    }
    lanes = config.ordering() == Ordering.KEY_ORDERED;
  }

  /**
   * Runs {@code task} for {@code d} once a handler slot (and, when ordered, its key's lane) is
   * free. {@code onCancel} runs instead if the task cannot start (interrupted while waiting).
   */
  void submit(InFlight d, Consumer<InFlight> task, Consumer<InFlight> onCancel) {
    Runnable body = () -> runGated(d, task, onCancel);
    String key = d.key();
    if (!lanes || key == null) {
      executor.execute(body);
      return;
    }
    CompletableFuture<?> tail =
        tails.compute(
            key,
            (k, previous) ->
                previous == null
                    ? CompletableFuture.runAsync(body, executor)
                    : previous.handleAsync(
                        (v, e) -> {
                          body.run();
                          return null;
                        },
                        executor));
    tail.whenComplete((v, e) -> tails.remove(key, tail));
  }

  private void runGated(InFlight d, Consumer<InFlight> task, Consumer<InFlight> onCancel) {
    if (running == null) {
      task.accept(d);
      return;
    }
    try {
      running.acquire();
    } catch (InterruptedException e) {
      onCancel.accept(d);
      return;
    }
    try {
      task.accept(d);
    } finally {
      running.release();
    }
  }

  /** Stops accepting tasks and waits up to {@code deadline} for the submitted ones to finish. */
  boolean shutdownAndAwait(Duration deadline) throws InterruptedException {
    executor.shutdown();
    return executor.awaitTermination(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Interrupts running tasks and waits up to {@code grace} for them. */
  boolean interruptAndAwait(Duration grace) throws InterruptedException {
    executor.shutdownNow();
    return executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
  }
}
