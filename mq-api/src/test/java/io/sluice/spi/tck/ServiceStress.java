package io.sluice.spi.tck;

import io.sluice.spi.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Drives a {@link Service} through every lifecycle path its contract allows and checks that no
 * exception escapes and no thread is left behind:
 *
 * <ul>
 *   <li>close before start (and then start is refused with {@link IllegalStateException});
 *   <li>start, then a second start (refused), then close;
 *   <li>start then close at once, then close again;
 *   <li>many start/close cycles on fresh instances;
 *   <li>start, then close from several threads at once.
 * </ul>
 *
 * After each path the set of live platform threads must return to what it was before, within a
 * deadline (polled with Awaitility, never by sleeping). Threads the JVM starts lazily for everyone
 * (the common fork-join pool, "Attach Listener", ...) are ignored; {@link #ignoring} adds more.
 * Virtual threads are not visible to this check.
 *
 * <pre>{@code
 * ServiceStress.of(() -> new RetentionService(storage, clock)).run();
 * }</pre>
 */
public final class ServiceStress {
  private static final Predicate<Thread> JVM_THREADS =
      t ->
          t.getName().startsWith("ForkJoinPool.commonPool")
              || t.getName().equals("Attach Listener")
              || t.getName().equals("process reaper")
              || t.getName().startsWith("awaitility");

  private final Supplier<? extends Service> factory;
  private int cycles = 20;
  private int closers = 4;
  private Duration deadline = Duration.ofSeconds(5);
  private Predicate<Thread> ignored = JVM_THREADS;

  private ServiceStress(Supplier<? extends Service> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** A stress run of services made by {@code factory}, which must return a new one per call. */
  public static ServiceStress of(Supplier<? extends Service> factory) {
    return new ServiceStress(factory);
  }

  /** How many fresh instances the start/close cycle path runs (default 20). */
  public ServiceStress cycles(int cycles) {
    this.cycles = Math.max(1, cycles);
    return this;
  }

  /** How many threads close one service at once (default 4). */
  public ServiceStress closers(int closers) {
    this.closers = Math.max(2, closers);
    return this;
  }

  /** How long the threads of a closed service may take to disappear (default 5 s). */
  public ServiceStress deadline(Duration deadline) {
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    return this;
  }

  /** Also ignores threads matching {@code filter} (for example a shared pool's threads). */
  public ServiceStress ignoring(Predicate<Thread> filter) {
    this.ignored = this.ignored.or(filter);
    return this;
  }

  /**
   * Runs every path.
   *
   * @throws AssertionError naming the path and what went wrong: an exception, a missing {@link
   *     IllegalStateException}, or the leaked threads with their stacks
   */
  public void run() {
    closeBeforeStart();
    secondStartIsRefused();
    startThenCloseTwice();
    startCloseCycles();
    concurrentClose();
  }

  /** Close before start; a later start throws {@link IllegalStateException}. */
  public void closeBeforeStart() {
    path(
        "close before start",
        () -> {
          Service s = factory.get();
          s.close();
          expectIllegalState("start after close", s::start);
          s.close();
        });
  }

  /** Start, start again (refused), close. */
  public void secondStartIsRefused() {
    path(
        "second start",
        () -> {
          Service s = factory.get();
          try {
            s.start();
            expectIllegalState("a second start", s::start);
          } finally {
            s.close();
          }
        });
  }

  /** Start, close at once, close again. */
  public void startThenCloseTwice() {
    path(
        "start then close twice",
        () -> {
          Service s = factory.get();
          s.start();
          s.close();
          s.close();
        });
  }

  /** {@link #cycles} fresh instances, each started and closed. */
  public void startCloseCycles() {
    path(
        "start/close cycles",
        () -> {
          for (int i = 0; i < cycles; i++) {
            Service s = factory.get();
            s.start();
            s.close();
          }
        });
  }

  /** Start, then {@link #closers} threads close the service at the same moment. */
  public void concurrentClose() {
    path(
        "concurrent close",
        () -> {
          Service s = factory.get();
          s.start();
          CyclicBarrier barrier = new CyclicBarrier(closers);
          ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
          List<Thread> threads = new ArrayList<>();
          for (int i = 0; i < closers; i++) {
            Thread t =
                new Thread(
                    () -> {
                      try {
                        barrier.await();
                        s.close();
                      } catch (Throwable e) {
                        failures.add(e);
                      }
                    },
                    "service-stress-closer-" + i);
            threads.add(t);
            t.start();
          }
          for (Thread t : threads) {
            join(t);
          }
          if (!failures.isEmpty()) {
            throw new AssertionError("close threw " + failures.peek(), failures.peek());
          }
        });
  }

  private void path(String name, Runnable body) {
    Set<Thread> baseline = Thread.getAllStackTraces().keySet();
    try {
      body.run();
    } catch (AssertionError e) {
      throw new AssertionError("service lifecycle path \"" + name + "\": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "service lifecycle path \"" + name + "\": an exception escaped: " + e, e);
    }
    try {
      Awaitility.await()
          .atMost(deadline)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> leaked(baseline).isEmpty());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "service lifecycle path \""
              + name
              + "\": threads still alive "
              + deadline
              + " after close (leak): "
              + describe(leaked(baseline)),
          e);
    }
  }

  private List<Thread> leaked(Set<Thread> baseline) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !baseline.contains(t) && !ignored.test(t))
        .toList();
  }

  private static String describe(List<Thread> threads) {
    return threads.stream()
        .map(
            t ->
                t.getName()
                    + " "
                    + t.getState()
                    + Arrays.stream(t.getStackTrace())
                        .limit(8)
                        .map(f -> "\n    at " + f)
                        .collect(Collectors.joining()))
        .collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  private static void expectIllegalState(String what, Runnable call) {
    try {
      call.run();
    } catch (IllegalStateException expected) {
      return;
    }
    throw new AssertionError(what + " must throw IllegalStateException, but returned normally");
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + t.getName(), e);
    }
  }
}
