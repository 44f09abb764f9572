package io.sluice.storage.file.internal.state;

import io.sluice.api.Receipt;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.dedupe.DedupeEntry;
import io.sluice.storage.file.internal.dedupe.DedupeIndex;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * One topic's producer idempotency keys accepted within its dedupe window: on disk in a {@link
 * DedupeIndex} (heap independent of the number of keys), plus in memory the keys of appends not yet
 * durable, each with the group-commit round that will make it so, so that a duplicate never answers
 * before its original is durable. Appends carrying keys hold {@link #lock} from the check until
 * their keys are recorded; checkpoints take it to read a consistent log end.
 *
 * <p>The log is the source of truth: an entry names its record's partition and offset, and on open
 * the keys of the records after the index's checkpoint are put again ({@link KeyIndexes}).
 */
public final class ProducerKeys {
  /** A key already accepted: its original receipt, durable once {@code durable} completes. */
  public record Accepted(Receipt receipt, CompletableFuture<Void> durable) {}

  private static final CompletableFuture<Void> DURABLE = CompletableFuture.completedFuture(null);

  /** Held by keyed appends of the topic and by checkpoints. */
  public final ReentrantLock lock = new ReentrantLock();

  final String topic;
  final DedupeIndex index;
  private final FailStop failStop;
  private final Map<String, Accepted> inFlight = new ConcurrentHashMap<>();

  /** Per partition, the last offset passed to {@link DedupeIndex#advance}. */
  long[] advanced = new long[0];

  ProducerKeys(String topic, DedupeIndex index, FailStop failStop) {
    this.topic = topic;
    this.index = index;
    this.failStop = failStop;
  }

  /**
   * The accepted key, or null. Caller holds the lock. A store that failed refuses, so no duplicate
   * is ever answered for an original whose write failed.
   *
   * @param logs the topic's partitions (the original's exact timestamp is read from its record)
   */
  public Accepted find(String key, IntFunction<SegmentSet> logs) {
    failStop.check();
    Accepted a = inFlight.get(key);
    if (a != null) {
      return a;
    }
    DedupeEntry e = index.find(key);
    if (e == null) {
      return null;
    }
    Receipt r = new Receipt(topic, e.partition(), e.offset(), timestamp(e, logs), false);
    return new Accepted(r, DURABLE);
  }

  private static Instant timestamp(DedupeEntry e, IntFunction<SegmentSet> logs) {
    try {
      List<StoredMessage> m = logs.apply(e.partition()).read(e.offset(), 1);
      if (!m.isEmpty() && m.get(0).offset() == e.offset()) {
        return m.get(0).message().timestamp();
      }
    } catch (OffsetOutOfRangeException removedByRetention) {
      // the index keeps milliseconds
    }
    return Instant.ofEpochMilli(e.timestamp());
  }

  /**
   * Records a key this append accepted (that {@link #find} just reported absent). Caller holds the
   * lock. Until {@code durable} completes, duplicates wait for it; if it fails the key stays in
   * flight, failed, and the store has failed (its duplicates fail too). An index that cannot take
   * the key fails the store: the record is in the log, and the reopen puts its key back.
   */
  public void put(String key, Receipt r, Instant acceptedAt, CompletableFuture<Void> durable) {
    try {
      index.put(
          key,
          new DedupeEntry(
              r.partition(), r.offset(), r.timestamp().toEpochMilli(), acceptedAt.toEpochMilli()));
    } catch (StorageFailedException e) {
      // the record is in the log but its key is not indexed: stop, and let the reopen re-put it
      throw failStop.fail("record an idempotency key", e);
    }
    if (!durable.isDone()) {
      Accepted a = new Accepted(r, durable);
      inFlight.put(key, a);
      durable.thenRun(() -> inFlight.remove(key, a));
    }
  }

  /** Keys of appends not yet durable (for tests). */
  int inFlight() {
    return inFlight.size();
  }
}
