package io.sluice.spi.tck;

import io.sluice.api.error.UnsupportedCapabilityException;
import io.sluice.spi.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link Storage} must show, as an abstract JUnit suite. A backend extends it
 * and supplies a fresh store:
 *
 * <pre>{@code
 * class FileStorageContractTest extends StorageContract {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected Storage createStorage(SettableClock clock) {
 *     return FileStorage.open(FileStorageConfig.of(dir).withClock(clock));
 *   }
 *
 *   @Override
 *   protected Storage reopen(Storage store, SettableClock clock) {
 *     store.close();
 *     return createStorage(clock);
 *   }
 * }
 * }</pre>
 *
 * <p>Each area of the SPI is a {@link Nested} group (see the classes named {@code *Cases} in this
 * package for the case lists). A capability a backend lacks is tested for its documented behaviour,
 * never skipped. Time is passed by advancing the {@link SettableClock}, never by sleeping; topic
 * and group names are unique per case, so a store shared between runs (a database) works too.
 */
public abstract class StorageContract {
  private SettableClock clock;
  private Storage storage;

  /** Creates the suite. */
  protected StorageContract() {}

  /**
   * A fresh, empty store that uses {@code clock} for every time decision (leases, visibility,
   * timestamps, retention, dedupe windows).
   */
  protected abstract Storage createStorage(SettableClock clock);

  /**
   * Closes {@code store} (if still open) and opens the same location again with {@code clock}.
   * Backends whose {@link io.sluice.spi.Capabilities#persistent()} is true must override this; the
   * default throws {@link UnsupportedCapabilityException}.
   */
  protected Storage reopen(Storage store, SettableClock clock) {
    throw new UnsupportedCapabilityException(
        "this backend is not persistent; a persistent backend must override"
            + " StorageContract.reopen");
  }

  /**
   * How many bytes beyond {@code TopicConfig.retentionBytes}, and beyond the age limit, a partition
   * may keep after {@code enforceRetention}, because the backend removes whole segments (a file
   * store returns its segment size; make segments small, a few KiB, for the suite). The retention
   * cases write about 20 KiB per partition. Default 0: retention is exact.
   */
  protected long retentionSlackBytes() {
    return 0;
  }

  /** The store under test; replaced by {@link #reopen} in the persistence cases. */
  protected final Storage storage() {
    return storage;
  }

  /** The clock the store under test reads. */
  protected final SettableClock clock() {
    return clock;
  }

  /** Reopens the store under test and makes the reopened store current. */
  final Storage reopenCurrent() {
    storage = reopen(storage, clock);
    return storage;
  }

  @BeforeEach
  final void openStore() {
    clock = new SettableClock();
    storage = createStorage(clock);
  }

  @AfterEach
  final void closeStore() {
    if (storage != null) {
      storage.close();
    }
  }

  /** Topic creation (idempotent), growth, description and listing. */
  @Nested
  class Topics extends TopicsCases {
    Topics() {
      super(StorageContract.this);
    }
  }

  /** Append: dense offsets, batch order, partitioning, contiguous and atomic batches. */
  @Nested
  class Append extends AppendCases {
    Append() {
      super(StorageContract.this);
    }
  }

  /** Raw read: ranges and the offsets it refuses. */
  @Nested
  class Read extends ReadCases {
    Read() {
      super(StorageContract.this);
    }
  }

  /** Claim: visibility, exclusivity under concurrency, fairness, start positions. */
  @Nested
  class Claim extends ClaimCases {
    Claim() {
      super(StorageContract.this);
    }
  }

  /** Ack: the committed offset, out-of-order acks, partial batches. */
  @Nested
  class Ack extends AckCases {
    Ack() {
      super(StorageContract.this);
    }
  }

  /** Release: backoff, attempts counted or taken back. */
  @Nested
  class Release extends ReleaseCases {
    Release() {
      super(StorageContract.this);
    }
  }

  /** Attempts count handler starts, not claims. */
  @Nested
  class Attempts extends AttemptsCases {
    Attempts() {
      super(StorageContract.this);
    }
  }

  /** Persistent pause and resume, obeyed by claims. */
  @Nested
  class Pause extends PauseCases {
    Pause() {
      super(StorageContract.this);
    }
  }

  /** Lease expiry and extension. */
  @Nested
  class Leases extends LeasesCases {
    Leases() {
      super(StorageContract.this);
    }
  }

  /** Fencing: stale acks, releases and extensions are rejected. */
  @Nested
  class Fencing extends FencingCases {
    Fencing() {
      super(StorageContract.this);
    }
  }

  /** KEY_ORDERED claims. */
  @Nested
  class KeyOrdered extends KeyOrderedCases {
    KeyOrdered() {
      super(StorageContract.this);
    }
  }

  /** Delayed delivery (deliverAt). */
  @Nested
  class Delayed extends DelayedCases {
    Delayed() {
      super(StorageContract.this);
    }
  }

  /** Producer dedupe of idempotency keys. */
  @Nested
  class Dedupe extends DedupeCases {
    Dedupe() {
      super(StorageContract.this);
    }
  }

  /** Processed keys recorded by acks. */
  @Nested
  class ProcessedKeys extends ProcessedKeysCases {
    ProcessedKeys() {
      super(StorageContract.this);
    }
  }

  /** Seek to an offset, a timestamp, the earliest or latest. */
  @Nested
  class Seek extends SeekCases {
    Seek() {
      super(StorageContract.this);
    }
  }

  /** Independent groups, group state and lag, listing. */
  @Nested
  class Groups extends GroupsCases {
    Groups() {
      super(StorageContract.this);
    }
  }

  /** Dead letters. */
  @Nested
  class DeadLetter extends DeadLetterCases {
    DeadLetter() {
      super(StorageContract.this);
    }
  }

  /** inTransaction. */
  @Nested
  class Transactions extends TransactionsCases {
    Transactions() {
      super(StorageContract.this);
    }
  }

  /** inTransaction with a batch of acks: all with the work, or none when one is stale. */
  @Nested
  class BatchTransactions extends BatchTransactionsCases {
    BatchTransactions() {
      super(StorageContract.this);
    }
  }

  /** Retention by age, bytes and consumption; offsets never reused. */
  @Nested
  class Retention extends RetentionCases {
    Retention() {
      super(StorageContract.this);
    }
  }

  /** State across close and reopen. */
  @Nested
  class Persistence extends PersistenceCases {
    Persistence() {
      super(StorageContract.this);
    }
  }

  /** Append notifications for waking consumers. */
  @Nested
  class Notifications extends NotificationsCases {
    Notifications() {
      super(StorageContract.this);
    }
  }

  /** Health, capabilities, close. */
  @Nested
  class Lifecycle extends LifecycleCases {
    Lifecycle() {
      super(StorageContract.this);
    }
  }

  /** Every bad input of RELIABILITY.md section 5.2 that reaches the SPI. */
  @Nested
  class BadInput extends BadInputCases {
    BadInput() {
      super(StorageContract.this);
    }
  }
}
