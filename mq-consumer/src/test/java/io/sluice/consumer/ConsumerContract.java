package io.sluice.consumer;

import io.sluice.Sluice;
import io.sluice.api.Backoff;
import io.sluice.spi.Storage;
import io.sluice.spi.tck.SettableClock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The consumer runtime's behaviour, defined once and run on every backend: subclasses only supply a
 * fresh {@link Storage}. Each area is a {@link Nested} group whose cases live in a {@code *Cases}
 * class of this package, on the {@link ConsumerCase} helpers. Time is a {@link SettableClock}
 * shared by the store and the runtime (a case may give the store a skewed one); tests move it
 * forward instead of sleeping.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ConsumerContract {
  protected static final Duration WAIT = Duration.ofSeconds(20);
  protected static final Backoff NOW = Backoff.fixed(Duration.ZERO);

  SettableClock clock;
  RecordingStorage storage;
  CountingListener stats;
  Sluice sluice;

  /** A fresh, empty store that uses {@code clock} for leases and visibility. */
  protected abstract Storage createStorage(InstantSource clock) throws Exception;

  /**
   * Arguments naming this backend's store for {@link CrashingConsumer} (before the clock), or empty
   * when the store lives in this process only (then a crash is simulated in process).
   */
  protected List<String> crashingConsumerArgs() {
    return List.of();
  }

  /** Whether only one process may open the store at a time (the parent closes it for the child). */
  protected boolean exclusiveStore() {
    return false;
  }

  /** How many orders the seed scenario sends; backends that are slow per message may lower it. */
  protected int seedOrders() {
    return 600;
  }

  @BeforeEach
  void openStore() throws Exception {
    clock = new SettableClock();
    storage = new RecordingStorage(createStorage(clock));
    stats = new CountingListener();
    sluice = Sluice.builder().storage(storage).clock(clock).listener(stats).build();
  }

  @AfterEach
  void closeStore() {
    sluice.close();
    storage.close();
  }

  /** Closes the runtime and the store, for a child process that needs the store to itself. */
  void closeForChild() {
    sluice.close();
    storage.close();
  }

  /**
   * Opens the store again (the same one, on a persistent backend) with {@code storeClock}, and a
   * runtime on {@link #clock} over it; closes the current ones first unless they are closed.
   */
  void reopen(InstantSource storeClock) throws Exception {
    sluice.close();
    storage.close();
    storage = new RecordingStorage(createStorage(storeClock));
    sluice = Sluice.builder().storage(storage).clock(clock).listener(stats).build();
  }

  /** Delivery: every message handled once, what the handler sees, wake-ups and lag. */
  @Nested
  class Delivery extends DeliveryCases {
    Delivery() {
      super(ConsumerContract.this);
    }
  }

  /** Retry: failing handlers are retried after the policy's backoff. */
  @Nested
  class Retry extends RetryCases {
    Retry() {
      super(ConsumerContract.this);
    }
  }

  /** Dead letters: exhausted and not-retryable messages, their headers, redrive and purge. */
  @Nested
  class DeadLetters extends DeadLettersCases {
    DeadLetters() {
      super(ConsumerContract.this);
    }
  }

  /** Leases and fencing: extension, expiry, late acks, handlers that run too long. */
  @Nested
  class Leases extends LeasesCases {
    Leases() {
      super(ConsumerContract.this);
    }
  }

  /** Crashes: what a dead member held comes back, using up only the attempts it started. */
  @Nested
  class Crash extends CrashCases {
    Crash() {
      super(ConsumerContract.this);
    }
  }

  /** Manual acks: the handler settles each delivery through its Delivery. */
  @Nested
  class ManualAck extends ManualAckCases {
    ManualAck() {
      super(ConsumerContract.this);
    }
  }

  /** Ordering: KEY_ORDERED keeps each key in order; a stuck key blocks only itself. */
  @Nested
  class Ordering extends OrderingCases {
    Ordering() {
      super(ConsumerContract.this);
    }
  }

  /** Lifecycle: several members, pause and resume, graceful and late close. */
  @Nested
  class Lifecycle extends LifecycleCases {
    Lifecycle() {
      super(ConsumerContract.this);
    }
  }

  /** Idempotency: processed keys are skipped; a transactional handler acks with its work. */
  @Nested
  class Idempotency extends IdempotencyCases {
    Idempotency() {
      super(ConsumerContract.this);
    }
  }

  /** Clocks: the store's clock alone decides when a retried message is visible again. */
  @Nested
  class Clock extends ClockCases {
    Clock() {
      super(ConsumerContract.this);
    }
  }

  /** Bad input: an invalid configuration fails before anything starts. */
  @Nested
  class BadInput extends BadInputCases {
    BadInput() {
      super(ConsumerContract.this);
    }
  }

  /** Admin: browse, describe, reset offsets, persistent pause, dead letters by filter and id. */
  @Nested
  class AdminOps extends AdminCases {
    AdminOps() {
      super(ConsumerContract.this);
    }
  }

  /** Dead-letter administration: list, show, redrive and purge by filter or by id. */
  @Nested
  class AdminDeadLetters extends AdminDeadLettersCases {
    AdminDeadLetters() {
      super(ConsumerContract.this);
    }
  }

  /** The seed scenario: orders with a flaky payment gateway, end to end. */
  @Nested
  class Scenario extends ScenarioCases {
    Scenario() {
      super(ConsumerContract.this);
    }
  }
}
