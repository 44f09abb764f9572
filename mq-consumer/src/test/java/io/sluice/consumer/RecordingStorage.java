package io.sluice.consumer;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.Capabilities;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.Storage;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import io.sluice.spi.TransactionalWork;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A storage that forwards to another, counting calls and letting tests inject append faults. */
final class RecordingStorage implements Storage {
  final Storage delegate;
  final AtomicInteger appends = new AtomicInteger();
  final AtomicInteger appendedMessages = new AtomicInteger();
  final AtomicInteger extends_ = new AtomicInteger();
  final AtomicInteger acks = new AtomicInteger();
  volatile Consumer<List<OutgoingMessage>> beforeAppend = batch -> {};
  volatile Consumer<ClaimRequest> beforeClaim = request -> {};

  RecordingStorage(Storage delegate) {
    this.delegate = delegate;
  }

  @Override
  public TopicInfo createTopic(String topic, TopicConfig config) {
    return delegate.createTopic(topic, config);
  }

  @Override
  public TopicInfo growPartitions(String topic, int partitions) {
    return delegate.growPartitions(topic, partitions);
  }

  @Override
  public TopicInfo describeTopic(String topic) {
    return delegate.describeTopic(topic);
  }

  @Override
  public List<TopicInfo> listTopics() {
    return delegate.listTopics();
  }

  @Override
  public List<Receipt> append(String topic, List<OutgoingMessage> batch) {
    beforeAppend.accept(batch);
    List<Receipt> receipts = delegate.append(topic, batch);
    appends.incrementAndGet();
    appendedMessages.addAndGet(batch.size());
    return receipts;
  }

  @Override
  public List<StoredMessage> read(String topic, int partition, long fromOffset, int max) {
    return delegate.read(topic, partition, fromOffset, max);
  }

  @Override
  public io.sluice.spi.AppendWatch watchAppends(String topic, Runnable listener) {
    return delegate.watchAppends(topic, listener);
  }

  @Override
  public List<Lease> claim(ClaimRequest request) {
    beforeClaim.accept(request);
    return delegate.claim(request);
  }

  @Override
  public BatchResult ack(String group, List<Ack> acks) {
    this.acks.incrementAndGet();
    return delegate.ack(group, acks);
  }

  @Override
  public void release(String group, DeliveryId delivery, Instant nextVisibleAt, boolean count) {
    delegate.release(group, delivery, nextVisibleAt, count);
  }

  @Override
  public BatchResult extendLeases(String group, List<DeliveryId> ids, Duration extension) {
    // Counted once the store has answered, so a test that advances its clock after seeing the count
    // go up never races an extension still on its way to the store.
    BatchResult result = delegate.extendLeases(group, ids, extension);
    extends_.incrementAndGet();
    return result;
  }

  @Override
  public Receipt deadLetter(DeadLetterRequest request) {
    return delegate.deadLetter(request);
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      String group, Ack ack, TransactionalWork<R, X> work) throws X {
    return delegate.inTransaction(group, ack, work);
  }

  @Override
  public long seek(String group, String topic, int partition, Position position) {
    return delegate.seek(group, topic, partition, position);
  }

  @Override
  public List<GroupPartition> groupState(String group, String topic) {
    return delegate.groupState(group, topic);
  }

  @Override
  public List<String> listGroups(String topic) {
    return delegate.listGroups(topic);
  }

  @Override
  public boolean isProcessed(String group, String topic, String processedKey) {
    return delegate.isProcessed(group, topic, processedKey);
  }

  @Override
  public long enforceRetention() {
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
