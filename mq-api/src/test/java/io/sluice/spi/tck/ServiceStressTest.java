package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Service;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceStressTest {
  private final List<Thread> stray = new CopyOnWriteArrayList<>();

  /** A loop thread that stops when told and is joined by close: what every Service should be. */
  static class WellBehaved implements Service {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final java.util.concurrent.locks.ReentrantLock lock =
        new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean stop;
    private boolean started;
    private boolean closed;
    private Thread thread;

    @Override
    public void start() {
      lock.lock();
      try {
        if (started || closed) {
          throw new IllegalStateException("already started or closed");
        }
        started = true;
        thread = new Thread(this::loop, "well-behaved-" + IDS.incrementAndGet());
        thread.start();
      } finally {
        lock.unlock();
      }
    }

    private void loop() {
      while (!stop) {
        LockSupport.parkNanos(1_000_000);
      }
    }

    @Override
    public void close() {
      Thread t;
      lock.lock();
      try {
        closed = true;
        stop = true;
        t = thread;
      } finally {
        lock.unlock();
      }
      if (t != null) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Forgets to stop its thread. */
  final class Leaky implements Service {
    private boolean started;

    @Override
    public void start() {
      if (started) {
        throw new IllegalStateException("started");
      }
      started = true;
      Thread t =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  LockSupport.park();
                }
              },
              "leaky-loop");
      t.setDaemon(true);
      stray.add(t);
      t.start();
    }

    @Override
    public void close() {}
  }

  @AfterEach
  void stopStrayThreads() {
    for (Thread t : stray) {
      t.interrupt();
    }
  }

  @Test
  void aWellBehavedServicePassesEveryPath() {
    assertThatCode(() -> ServiceStress.of(WellBehaved::new).cycles(10).closers(4).run())
        .doesNotThrowAnyException();
  }

  @Test
  void aLeakyServiceIsCaughtWithItsThreadNamed() {
    assertThatThrownBy(
            () ->
                ServiceStress.of(Leaky::new).deadline(Duration.ofMillis(200)).startThenCloseTwice())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("leak")
        .hasMessageContaining("leaky-loop")
        .hasMessageContaining("start then close twice");
  }

  @Test
  void aServiceWhoseCloseThrowsIsCaught() {
    class Throwing extends WellBehaved {
      private int closes;

      @Override
      public void close() {
        super.close();
        if (++closes > 1) {
          throw new IllegalStateException("closed twice");
        }
      }
    }
    assertThatThrownBy(() -> ServiceStress.of(Throwing::new).startThenCloseTwice())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("an exception escaped")
        .hasMessageContaining("closed twice");
  }

  @Test
  void aServiceThatAcceptsStartAfterCloseIsCaught() {
    class Lenient implements Service {
      @Override
      public void start() {}

      @Override
      public void close() {}
    }
    assertThatThrownBy(() -> ServiceStress.of(Lenient::new).closeBeforeStart())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("start after close must throw IllegalStateException");
  }

  @Test
  void concurrentCloseFailuresAreReported() {
    class RacyClose extends WellBehaved {
      private final AtomicInteger closes = new AtomicInteger();

      @Override
      public void close() {
        super.close();
        if (closes.incrementAndGet() > 1) {
          throw new IllegalStateException("second concurrent close");
        }
      }
    }
    assertThatThrownBy(() -> ServiceStress.of(RacyClose::new).concurrentClose())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("concurrent close")
        .hasMessageContaining("second concurrent close");
  }
}
