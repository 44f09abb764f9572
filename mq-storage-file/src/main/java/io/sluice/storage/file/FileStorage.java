package io.sluice.storage.file;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.api.internal.Validation;
import io.sluice.spi.AbstractStorage;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.AppendRequest;
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
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.GroupStateStore;
import io.sluice.storage.file.internal.state.Settlements;
import io.sluice.storage.file.internal.store.AppendPath;
import io.sluice.storage.file.internal.store.Retention;
import io.sluice.storage.file.internal.store.StoreFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The embedded file store: one directory, held by one store at a time, with a segmented append-log
 * per topic partition and the consumer-group state beside it. Open it with {@link
 * #open(FileStorageConfig)}; close it to release the directory.
 *
 * <pre>{@code
 * try (FileStorage store = FileStorage.open(FileStorageConfig.builder(dir).build())) {
 *   store.createTopic("orders", TopicConfig.partitions(4));
 *   store.append("orders", List.of(OutgoingMessage.of(Message.of("paid"))));
 * }
 * }</pre>
 *
 * <p>Capabilities: persistent; appends are atomic per partition only; dead-lettering appends first
 * and then acks (a crash between them can duplicate into the dead-letter topic, never lose); no
 * database transactions.
 */
public final class FileStorage extends AbstractStorage {
  private static final Capabilities CAPABILITIES =
      new Capabilities("file", true, false, false, false);

  private final StoreFiles files;
  private final GroupStateStore state;
  private final Settlements settle;
  private final AppendPath appends;
  private volatile boolean abandoned;

  private FileStorage(StoreFiles files) {
    this.files = files;
    this.state = files.state();
    this.settle = state.settlements();
    this.appends = new AppendPath(state, files.committer());
  }

  /**
   * Opens (creating if needed) the store in {@code config.directory()}: takes the directory lock,
   * recovers each partition's active segment and replays the group state.
   *
   * @throws io.sluice.api.error.StorageLockedException if another store holds the directory
   * @throws io.sluice.api.error.StorageCorruptedException for corrupt data before a log's tail
   * @throws StorageFailedException for other I/O errors
   */
  public static FileStorage open(FileStorageConfig config) {
    return open(config, FileIo.DEFAULT);
  }

  /**
   * Opens the store in {@code directory} read-only, for tools that look at a store another process
   * may hold open (the {@code sluice} command line): it takes no lock, recovers nothing and never
   * writes. Topics, partition ranges, messages, group progress and pauses are read from the
   * directory afresh on every call, so the view follows a live store; a batch or state frame being
   * written at that moment is simply not seen yet. Operations that would change the store throw
   * {@link io.sluice.api.error.UnsupportedCapabilityException}. Processed keys ({@link
   * #isProcessed}) are known only from the state journal since its last compaction.
   *
   * @param clock the clock that decides which leases and retries are in flight
   * @throws StorageFailedException if {@code directory} holds no file store
   */
  public static io.sluice.spi.Storage openReadOnly(
      java.nio.file.Path directory, java.time.InstantSource clock) {
    Validation.required("directory", directory);
    Validation.required("clock", clock);
    return new ReadOnlyFileStorage(directory, clock);
  }

  /** Opens with an I/O seam of the caller's (tests inject faults through it). */
  static FileStorage open(FileStorageConfig config, FileIo io) {
    Validation.required("config", config);
    return new FileStorage(StoreFiles.open(config, io));
  }

  @Override
  protected String describe() {
    return "file storage " + files.config().directory();
  }

  private TopicLog topic(String name) {
    TopicLog t = files.topicLogs().get(name);
    if (t == null) {
      throw new TopicNotFoundException(name);
    }
    return t;
  }

  private Instant now() {
    return files.config().clock().instant();
  }

  // ---------------------------------------------------------------------------------------- topics

  @Override
  protected TopicInfo doCreateTopic(String topic, TopicConfig config) {
    return files.createTopic(topic, config).info();
  }

  @Override
  protected TopicInfo doGrowPartitions(String topic, int partitions) {
    return files.grow(topic(topic), partitions).info();
  }

  @Override
  protected TopicInfo doDescribeTopic(String topic) {
    return topic(topic).info();
  }

  @Override
  protected List<TopicInfo> doListTopics() {
    return files.topicLogs().values().stream().map(TopicLog::info).toList();
  }

  // --------------------------------------------------------------------------------------- produce

  @Override
  protected List<Receipt> doAppend(AppendRequest request) {
    return appends.append(topic(request.topic()), request.messages(), now());
  }

  @Override
  protected List<StoredMessage> doRead(ReadRequest request) {
    return topic(request.topic())
        .partition(request.partition())
        .read(request.fromOffset(), request.max());
  }

  @Override
  protected long doOffsetFor(String topic, int partition, Position position) {
    topic(topic);
    return state.offsetFor(topic, partition, position);
  }

  // ------------------------------------------------------------------------------------ consuming

  @Override
  protected List<Lease> doClaim(ClaimRequest request) {
    topic(request.topic());
    if (files.pauses().isPaused(request.group(), request.topic())) {
      return List.of();
    }
    return startClaimed(request, state.claim(request));
  }

  @Override
  protected BatchResult doMarkStarted(StartRequest request) {
    return settle.markStarted(request.group(), request.deliveries());
  }

  @Override
  protected BatchResult doAck(AckRequest request) {
    return settle.ack(request.group(), request.acks());
  }

  @Override
  protected void doRelease(ReleaseRequest request) {
    settle.release(request);
  }

  @Override
  protected BatchResult doExtendLeases(ExtendRequest request) {
    return settle.extend(request.group(), request.deliveries(), request.extension());
  }

  @Override
  protected Receipt doDeadLetter(DeadLetterRequest request) {
    if (!settle.isCurrent(request.group(), request.delivery())) {
      throw new StaleDeliveryException(
          request.delivery(), "the lease is expired, re-granted or settled");
    }
    TopicLog dlq = files.topicLogs().get(request.deadLetterTopic());
    if (dlq == null) {
      dlq = files.createTopicIfAbsent(request.deadLetterTopic(), TopicConfig.defaults());
    }
    Receipt r = appends.append(dlq, List.of(OutgoingMessage.of(request.message())), now()).get(0);
    settle.ack(request.group(), List.of(Ack.of(request.delivery())));
    return r;
  }

  // --------------------------------------------------------------------------------------- offsets

  @Override
  protected long doSeek(SeekRequest request) {
    topic(request.topic()).partition(request.partition());
    return state.seek(request.group(), request.topic(), request.partition(), request.position());
  }

  @Override
  protected List<GroupPartition> doGroupState(String group, String topic) {
    topic(topic);
    return state.groupState(group, topic);
  }

  @Override
  protected List<String> doListGroups(String topic) {
    topic(topic);
    return state.listGroups(topic);
  }

  @Override
  protected boolean doIsProcessed(String group, String topic, String processedKey) {
    topic(topic);
    return state.isProcessed(group, topic, processedKey);
  }

  @Override
  protected void doPause(PauseRequest request) {
    files.pauses().set(request.group(), request.topic(), request.paused());
  }

  @Override
  protected boolean doIsPaused(String group, String topic) {
    return files.pauses().isPaused(group, topic);
  }

  // ------------------------------------------------------------------------------------- retention

  @Override
  protected long doEnforceRetention() {
    Instant now = now();
    long removed = 0;
    try {
      for (TopicLog t : files.topicLogs().values()) {
        removed += Retention.apply(t, state, now);
      }
    } catch (IOException e) {
      throw new StorageFailedException("retention failed", e);
    }
    try {
      state.expire(now);
    } catch (IOException e) {
      throw new StorageFailedException("expiring dedupe keys failed", e);
    }
    return removed;
  }

  // ---------------------------------------------------------------------------------------- status

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  protected StorageHealth doHealth() {
    Throwable failure = files.failStop().cause();
    return failure == null
        ? new StorageHealth(true, describe())
        : new StorageHealth(false, describe() + " failed: " + failure + "; reopen it to recover");
  }

  /** Forces, writes a group-state snapshot, closes files and releases the directory. */
  @Override
  protected void doClose() {
    if (abandoned) {
      files.abandon();
    } else {
      files.close();
    }
  }

  /** Tests: a simulated crash (nothing forced, no snapshot, the lock released). */
  void abandon() {
    abandoned = true;
    close();
  }

  /**
   * Tests and benchmarks: the in-memory size of a group's state in a topic ({@code [entries, lease
   * runs, done ranges, held-back runs]}), or null if the group has none there.
   */
  long[] stateSize(String group, String topic) {
    return state.size(group, topic);
  }

  /** Tests and benchmarks: bytes mapped and heap retained by the dedupe indexes opened. */
  long[] dedupeUsage() {
    return state.dedupeUsage();
  }

  @Override
  public String toString() {
    return "FileStorage[" + files.config().directory() + (isClosed() ? ", closed]" : "]");
  }
}
