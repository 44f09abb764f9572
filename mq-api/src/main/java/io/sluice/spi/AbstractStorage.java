package io.sluice.spi;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.internal.AppendWatchers;
import io.sluice.api.internal.Validation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one implementation of {@link Storage}'s public methods that every backend shares; a backend
 * extends it and implements the {@code do...} methods. Each public method, in this order:
 *
 * <ol>
 *   <li>receives a request record that validated its arguments when it was built (so a backend
 *       never checks names, counts or durations again);
 *   <li>refuses the call with {@link StorageClosedException} once {@link #close()} has begun;
 *   <li>runs the backend's {@code do...} method; if that fails while a close is under way, the
 *       failure is reported as {@link StorageClosedException} (with the original suppressed),
 *       because the close caused it;
 *   <li>after an append, a dead letter or a release visible at once, tells the topic's watchers
 *       ({@link #watchAppends}).
 * </ol>
 *
 * <p><b>Evolving:</b> part of the SPI; see {@link Storage}.
 */
@Evolving
public abstract class AbstractStorage implements Storage {
  private final AppendWatchers watchers = new AppendWatchers();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** For subclasses. */
  protected AbstractStorage() {}

  /** What this store is, for messages: {@code "file storage /var/q"}. */
  protected abstract String describe();

  protected abstract TopicInfo doCreateTopic(String topic, TopicConfig config);

  protected abstract TopicInfo doGrowPartitions(String topic, int partitions);

  protected abstract TopicInfo doDescribeTopic(String topic);

  protected abstract List<TopicInfo> doListTopics();

  protected abstract List<Receipt> doAppend(AppendRequest request);

  protected abstract List<StoredMessage> doRead(ReadRequest request);

  protected abstract long doOffsetFor(String topic, int partition, Position position);

  protected abstract List<Lease> doClaim(ClaimRequest request);

  protected abstract BatchResult doMarkStarted(StartRequest request);

  protected abstract BatchResult doAck(AckRequest request);

  protected abstract void doRelease(ReleaseRequest request);

  protected abstract BatchResult doExtendLeases(ExtendRequest request);

  protected abstract Receipt doDeadLetter(DeadLetterRequest request);

  /**
   * Runs the work, then acks: the behaviour of a backend without transactions. Transactional
   * backends override it to run both in one database transaction.
   */
  protected <R, X extends Exception> R doInTransaction(
      AckRequest request, TransactionalWork<R, X> work) throws X {
    R result = work.run(TransactionContext.none());
    BatchResult done = doAck(request);
    if (!done.rejected().isEmpty()) {
      throw new StaleDeliveryException(
          done.rejected().get(0), "the work ran, but its lease is expired, re-granted or settled");
    }
    return result;
  }

  protected abstract long doSeek(SeekRequest request);

  protected abstract List<GroupPartition> doGroupState(String group, String topic);

  protected abstract List<String> doListGroups(String topic);

  protected abstract boolean doIsProcessed(String group, String topic, String processedKey);

  protected abstract void doPause(PauseRequest request);

  protected abstract boolean doIsPaused(String group, String topic);

  protected abstract long doEnforceRetention();

  /** The backend's health while open. */
  protected abstract StorageHealth doHealth();

  /** Releases the backend's resources; called once, by the first {@link #close()}. */
  protected abstract void doClose();

  /** Called when a watcher registers for {@code topic} (a backend may start listening). */
  protected void watching(String topic) {}

  /** Tells the watchers of {@code topic} that messages may have become claimable there. */
  protected final void notifyAppended(String topic) {
    watchers.appended(topic);
  }

  /** Whether {@link #close()} has begun. */
  protected final boolean isClosed() {
    return closed.get();
  }

  /** Throws {@link StorageClosedException} once {@link #close()} has begun. */
  protected final void checkOpen() {
    if (closed.get()) {
      throw new StorageClosedException(describe());
    }
  }

  private RuntimeException failure(RuntimeException e) {
    if (closed.get() && !(e instanceof StorageClosedException)) {
      StorageClosedException c = new StorageClosedException(describe());
      c.addSuppressed(e);
      return c;
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------- topics

  @Override
  public final TopicInfo createTopic(String topic, TopicConfig config) {
    Validation.topic(topic);
    Validation.required("config", config);
    checkOpen();
    try {
      return doCreateTopic(topic, config);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final TopicInfo growPartitions(String topic, int partitions) {
    Validation.topic(topic);
    Validation.partitions(partitions);
    checkOpen();
    try {
      return doGrowPartitions(topic, partitions);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final TopicInfo describeTopic(String topic) {
    Validation.topic(topic);
    checkOpen();
    try {
      return doDescribeTopic(topic);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final List<TopicInfo> listTopics() {
    checkOpen();
    try {
      return doListTopics();
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  // --------------------------------------------------------------------------------------- produce

  @Override
  public final List<Receipt> append(AppendRequest request) {
    Validation.required("request", request);
    checkOpen();
    List<Receipt> receipts;
    try {
      receipts = doAppend(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
    if (!receipts.isEmpty()) {
      watchers.appended(request.topic());
    }
    return receipts;
  }

  @Override
  public final List<StoredMessage> read(ReadRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      return doRead(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final long offsetFor(String topic, int partition, Position position) {
    Validation.topic(topic);
    Validation.required("position", position);
    checkOpen();
    try {
      return doOffsetFor(topic, partition, position);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  // ------------------------------------------------------------------------------------ consuming

  @Override
  public final List<Lease> claim(ClaimRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      return doClaim(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final BatchResult markStarted(StartRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      return doMarkStarted(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final BatchResult ack(AckRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      return doAck(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final void release(ReleaseRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      doRelease(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
    if (request.delay().isZero()) {
      watchers.appended(request.delivery().topic());
    }
  }

  @Override
  public final BatchResult extendLeases(ExtendRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      return doExtendLeases(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final Receipt deadLetter(DeadLetterRequest request) {
    Validation.required("request", request);
    checkOpen();
    Receipt receipt;
    try {
      receipt = doDeadLetter(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
    watchers.appended(request.deadLetterTopic());
    return receipt;
  }

  @Override
  public final <R, X extends Exception> R inTransaction(
      AckRequest request, TransactionalWork<R, X> work) throws X {
    Validation.required("request", request);
    Validation.required("work", work);
    checkOpen();
    try {
      return doInTransaction(request, work);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  // --------------------------------------------------------------------------------------- offsets

  @Override
  public final long seek(SeekRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      return doSeek(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final List<GroupPartition> groupState(String group, String topic) {
    Validation.group(group);
    Validation.topic(topic);
    checkOpen();
    try {
      return doGroupState(group, topic);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final List<String> listGroups(String topic) {
    Validation.topic(topic);
    checkOpen();
    try {
      return doListGroups(topic);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final boolean isProcessed(String group, String topic, String processedKey) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.idempotencyKey(processedKey);
    checkOpen();
    try {
      return doIsProcessed(group, topic, processedKey);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public final void pause(PauseRequest request) {
    Validation.required("request", request);
    checkOpen();
    try {
      doPause(request);
    } catch (RuntimeException e) {
      throw failure(e);
    }
    if (!request.paused()) {
      if (request.topic() != null) {
        watchers.appended(request.topic());
      } else {
        watchers.appendedAll(); // the group's topics are not known here: wake every watcher
      }
    }
  }

  @Override
  public final boolean isPaused(String group, String topic) {
    Validation.group(group);
    if (topic != null) {
      Validation.topic(topic);
    }
    checkOpen();
    try {
      return doIsPaused(group, topic);
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  // ------------------------------------------------------------------------------------- retention

  @Override
  public final long enforceRetention() {
    checkOpen();
    try {
      return doEnforceRetention();
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  // -------------------------------------------------------------------------------- notifications

  @Override
  public final AppendWatch watchAppends(String topic, Runnable listener) {
    Validation.topic(topic);
    Validation.required("listener", listener);
    checkOpen();
    AppendWatch watch = watchers.add(topic, listener);
    watching(topic);
    return watch;
  }

  // ---------------------------------------------------------------------------------------- status

  @Override
  public final StorageHealth health() {
    if (closed.get()) {
      return new StorageHealth(false, describe() + " is closed");
    }
    try {
      return doHealth();
    } catch (RuntimeException e) {
      return new StorageHealth(false, describe() + " failed its health check: " + e);
    }
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      doClose();
    }
  }
}
