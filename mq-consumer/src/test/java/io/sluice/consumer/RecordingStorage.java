package io.sluice.consumer;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.AckRequest;
import io.sluice.spi.AppendRequest;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.BatchResult;
import io.sluice.spi.Capabilities;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.ExtendRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.ReadRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.SeekRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.Storage;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import io.sluice.spi.TransactionalWork;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A storage that forwards to another, counting calls and letting tests inject faults: a hook before
 * appends and claims, and {@link #sever()}, after which every call fails as if the process had died
 * (what it held stays held until its leases run out).
 */
final class RecordingStorage implements Storage {
  final Storage delegate;
  final AtomicInteger appends = new AtomicInteger();
  final AtomicInteger appendedMessages = new AtomicInteger();
  final AtomicInteger extends_ = new AtomicInteger();
  final AtomicInteger acks = new AtomicInteger();
  final AtomicInteger claimed = new AtomicInteger();

  /** Deliveries claimed by claims that counted their starts ({@link ClaimRequest#start()}). */
  final AtomicInteger claimedStarted = new AtomicInteger();

  final AtomicInteger claims = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger startedDeliveries = new AtomicInteger();
  volatile Consumer<List<OutgoingMessage>> beforeAppend = batch -> {};
  volatile Consumer<ClaimRequest> beforeClaim = request -> {};
  volatile Consumer<StartRequest> beforeStart = request -> {};
  private volatile boolean severed;

  RecordingStorage(Storage delegate) {
    this.delegate = delegate;
  }

  /** From now on every call fails with {@link IllegalStateException}; the store is untouched. */
  void sever() {
    severed = true;
  }

  private void check() {
    if (severed) {
      throw new IllegalStateException("severed: the member's process is gone");
    }
  }

  @Override
  public TopicInfo createTopic(String topic, TopicConfig config) {
    check();
    return delegate.createTopic(topic, config);
  }

  @Override
  public TopicInfo growPartitions(String topic, int partitions) {
    check();
    return delegate.growPartitions(topic, partitions);
  }

  @Override
  public TopicInfo describeTopic(String topic) {
    check();
    return delegate.describeTopic(topic);
  }

  @Override
  public List<TopicInfo> listTopics() {
    check();
    return delegate.listTopics();
  }

  @Override
  public List<Receipt> append(AppendRequest request) {
    check();
    beforeAppend.accept(request.messages());
    List<Receipt> receipts = delegate.append(request);
    appends.incrementAndGet();
    appendedMessages.addAndGet(request.messages().size());
    return receipts;
  }

  @Override
  public List<StoredMessage> read(ReadRequest request) {
    check();
    reads.incrementAndGet();
    return delegate.read(request);
  }

  @Override
  public long offsetFor(String topic, int partition, Position position) {
    check();
    return delegate.offsetFor(topic, partition, position);
  }

  @Override
  public AppendWatch watchAppends(String topic, Runnable listener) {
    check();
    return delegate.watchAppends(topic, listener);
  }

  @Override
  public List<Lease> claim(ClaimRequest request) {
    check();
    beforeClaim.accept(request);
    claims.incrementAndGet();
    List<Lease> leases = delegate.claim(request);
    claimed.addAndGet(leases.size());
    if (request.start()) {
      claimedStarted.addAndGet(leases.size());
    }
    return leases;
  }

  @Override
  public BatchResult markStarted(StartRequest request) {
    check();
    beforeStart.accept(request);
    BatchResult result = delegate.markStarted(request);
    starts.incrementAndGet();
    startedDeliveries.addAndGet(request.deliveries().size());
    return result;
  }

  @Override
  public BatchResult ack(AckRequest request) {
    check();
    this.acks.incrementAndGet();
    return delegate.ack(request);
  }

  @Override
  public void release(ReleaseRequest request) {
    check();
    delegate.release(request);
  }

  @Override
  public BatchResult extendLeases(ExtendRequest request) {
    check();
    // Counted once the store has answered, so a test that advances its clock after seeing the count
    // go up never races an extension still on its way to the store.
    BatchResult result = delegate.extendLeases(request);
    extends_.incrementAndGet();
    return result;
  }

  @Override
  public Receipt deadLetter(DeadLetterRequest request) {
    check();
    return delegate.deadLetter(request);
  }

  @Override
  public <R, X extends Exception> R inTransaction(AckRequest request, TransactionalWork<R, X> work)
      throws X {
    check();
    return delegate.inTransaction(request, work);
  }

  @Override
  public long seek(SeekRequest request) {
    check();
    return delegate.seek(request);
  }

  @Override
  public List<GroupPartition> groupState(String group, String topic) {
    check();
    return delegate.groupState(group, topic);
  }

  @Override
  public List<String> listGroups(String topic) {
    check();
    return delegate.listGroups(topic);
  }

  @Override
  public boolean isProcessed(String group, String topic, String processedKey) {
    check();
    return delegate.isProcessed(group, topic, processedKey);
  }

  @Override
  public void pause(PauseRequest request) {
    check();
    delegate.pause(request);
  }

  @Override
  public boolean isPaused(String group, String topic) {
    check();
    return delegate.isPaused(group, topic);
  }

  @Override
  public long enforceRetention() {
    check();
    return delegate.enforceRetention();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public StorageHealth health() {
    return delegate.health();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
