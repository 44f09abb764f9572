package io.sluice.spi;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.internal.AppendWatchers;
import io.sluice.api.internal.Validation;
import java.util.ArrayList;
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

  /**
   * Claims; with {@code request.start()}, counts the attempt of every lease it returns (a backend
   * without a claim that can do it in one step calls {@link #startClaimed} on its leases).
   */
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

  /** A backend call, which may throw the caller's own exception type. */
  @FunctionalInterface
  private interface BackendCall<R, X extends Exception> {
    R run() throws X;
  }

  /**
   * Steps 2 and 3 of every public method: refuses the call once closed, runs {@code op}, and
   * reports its failure as {@link #failure} says.
   */
  private <R, X extends Exception> R call(BackendCall<R, X> op) throws X {
    checkOpen();
    try {
      return op.run();
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /** {@link #call} for a backend method without a result. */
  private void run(Runnable op) {
    call(
        () -> {
          op.run();
          return null;
        });
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
    return call(() -> doCreateTopic(topic, config));
  }

  @Override
  public final TopicInfo growPartitions(String topic, int partitions) {
    Validation.topic(topic);
    Validation.partitions(partitions);
    return call(() -> doGrowPartitions(topic, partitions));
  }

  @Override
  public final TopicInfo describeTopic(String topic) {
    Validation.topic(topic);
    return call(() -> doDescribeTopic(topic));
  }

  @Override
  public final List<TopicInfo> listTopics() {
    return call(this::doListTopics);
  }

  // --------------------------------------------------------------------------------------- produce

  @Override
  public final List<Receipt> append(AppendRequest request) {
    Validation.required("request", request);
    List<Receipt> receipts = call(() -> doAppend(request));
    if (!receipts.isEmpty()) {
      watchers.appended(request.topic());
    }
    return receipts;
  }

  @Override
  public final List<StoredMessage> read(ReadRequest request) {
    Validation.required("request", request);
    return call(() -> doRead(request));
  }

  @Override
  public final long offsetFor(String topic, int partition, Position position) {
    Validation.topic(topic);
    Validation.required("position", position);
    return call(() -> doOffsetFor(topic, partition, position));
  }

  // ------------------------------------------------------------------------------------ consuming

  @Override
  public final List<Lease> claim(ClaimRequest request) {
    Validation.required("request", request);
    return call(() -> doClaim(request));
  }

  /**
   * For a backend whose claim cannot count attempts itself: when {@code request.start()}, marks
   * {@code leases} started with {@link #doMarkStarted} and returns those it applied to (a lease the
   * mark rejects, one already expired, is left out: it is claimable again); otherwise returns
   * {@code leases}.
   */
  protected final List<Lease> startClaimed(ClaimRequest request, List<Lease> leases) {
    if (!request.start() || leases.isEmpty()) {
      return leases;
    }
    List<DeliveryId> ids = new ArrayList<>(leases.size());
    leases.forEach(l -> ids.add(l.id()));
    return doMarkStarted(new StartRequest(request.group(), ids)).notRejected(leases);
  }

  @Override
  public final BatchResult markStarted(StartRequest request) {
    Validation.required("request", request);
    return call(() -> doMarkStarted(request));
  }

  @Override
  public final BatchResult ack(AckRequest request) {
    Validation.required("request", request);
    return call(() -> doAck(request));
  }

  @Override
  public final void release(ReleaseRequest request) {
    Validation.required("request", request);
    run(() -> doRelease(request));
    if (request.delay().isZero()) {
      watchers.appended(request.delivery().topic());
    }
  }

  @Override
  public final BatchResult extendLeases(ExtendRequest request) {
    Validation.required("request", request);
    return call(() -> doExtendLeases(request));
  }

  @Override
  public final Receipt deadLetter(DeadLetterRequest request) {
    Validation.required("request", request);
    Receipt receipt = call(() -> doDeadLetter(request));
    watchers.appended(request.deadLetterTopic());
    return receipt;
  }

  @Override
  public final <R, X extends Exception> R inTransaction(
      AckRequest request, TransactionalWork<R, X> work) throws X {
    Validation.required("request", request);
    Validation.required("work", work);
    return call(() -> doInTransaction(request, work));
  }

  // --------------------------------------------------------------------------------------- offsets

  @Override
  public final long seek(SeekRequest request) {
    Validation.required("request", request);
    return call(() -> doSeek(request));
  }

  @Override
  public final List<GroupPartition> groupState(String group, String topic) {
    Validation.group(group);
    Validation.topic(topic);
    return call(() -> doGroupState(group, topic));
  }

  @Override
  public final List<String> listGroups(String topic) {
    Validation.topic(topic);
    return call(() -> doListGroups(topic));
  }

  @Override
  public final boolean isProcessed(String group, String topic, String processedKey) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.idempotencyKey(processedKey);
    return call(() -> doIsProcessed(group, topic, processedKey));
  }

  @Override
  public final void pause(PauseRequest request) {
    Validation.required("request", request);
    run(() -> doPause(request));
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
    return call(() -> doIsPaused(group, topic));
  }

  // ------------------------------------------------------------------------------------- retention

  @Override
  public final long enforceRetention() {
    return call(this::doEnforceRetention);
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
