package io.sluice.storage.file;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.api.internal.AppendWatchers;
import io.sluice.api.internal.Validation;
import io.sluice.spi.Ack;
import io.sluice.spi.AppendWatch;
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
import io.sluice.storage.file.internal.log.FileIo;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.AppendPath;
import io.sluice.storage.file.internal.state.GroupStateStore;
import io.sluice.storage.file.internal.state.Retention;
import io.sluice.storage.file.internal.state.StoreFiles;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

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
public final class FileStorage implements Storage {
  private static final Capabilities CAPABILITIES =
      new Capabilities("file", true, false, false, false);

  private final StoreFiles files;
  private final GroupStateStore state;
  private final AppendPath appends;
  private final AppendWatchers watchers = new AppendWatchers();
  private volatile boolean closed;

  private FileStorage(StoreFiles files) {
    this.files = files;
    this.state = files.state();
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

  /** Opens with an I/O seam of the caller's (tests inject faults through it). */
  static FileStorage open(FileStorageConfig config, FileIo io) {
    Validation.required("config", config);
    return new FileStorage(StoreFiles.open(config, io));
  }

  private <T> T open(Supplier<T> body) {
    if (closed) {
      throw new StorageClosedException("file storage " + files.config().directory());
    }
    try {
      return body.get();
    } catch (StorageFailedException | io.sluice.api.error.OffsetOutOfRangeException e) {
      if (closed) {
        // close() ran under this call and closed its files: say so rather than what it caused
        throw new StorageClosedException("file storage " + files.config().directory());
      }
      throw e;
    }
  }

  private TopicLog topic(String name) {
    Validation.topic(name);
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
  public TopicInfo createTopic(String topic, TopicConfig config) {
    Validation.topic(topic);
    Validation.required("config", config);
    return open(() -> files.createTopic(topic, config).info());
  }

  @Override
  public TopicInfo growPartitions(String topic, int partitions) {
    Validation.topic(topic);
    Validation.partitions(partitions);
    return open(() -> files.grow(topic(topic), partitions).info());
  }

  @Override
  public TopicInfo describeTopic(String topic) {
    return open(() -> topic(topic).info());
  }

  @Override
  public List<TopicInfo> listTopics() {
    return open(() -> files.topicLogs().values().stream().map(TopicLog::info).toList());
  }

  // --------------------------------------------------------------------------------------- produce

  @Override
  public List<Receipt> append(String topic, List<OutgoingMessage> batch) {
    Validation.topic(topic);
    Validation.required("batch", batch);
    List<Receipt> receipts = open(() -> appends.append(topic(topic), batch, now()));
    if (!receipts.isEmpty()) {
      watchers.appended(topic);
    }
    return receipts;
  }

  @Override
  public List<StoredMessage> read(String topic, int partition, long fromOffset, int max) {
    Validation.topic(topic);
    Validation.atLeast("max", max, 1);
    return open(() -> topic(topic).partition(partition).read(fromOffset, max));
  }

  // ------------------------------------------------------------------------------------ consuming

  @Override
  public List<Lease> claim(ClaimRequest request) {
    Validation.required("request", request);
    return open(
        () -> {
          topic(request.topic());
          return state.claim(request);
        });
  }

  @Override
  public BatchResult ack(String group, List<Ack> acks) {
    Validation.group(group);
    Validation.required("acks", acks);
    for (Ack a : acks) {
      Validation.required("ack", a);
    }
    return open(() -> state.ack(group, acks));
  }

  @Override
  public void release(
      String group, DeliveryId delivery, Instant nextVisibleAt, boolean countAttempt) {
    Validation.group(group);
    Validation.required("delivery", delivery);
    Validation.required("nextVisibleAt", nextVisibleAt);
    open(
        () -> {
          state.release(group, delivery, nextVisibleAt, countAttempt);
          return null;
        });
    if (!nextVisibleAt.isAfter(now())) {
      watchers.appended(delivery.topic());
    }
  }

  @Override
  public BatchResult extendLeases(String group, List<DeliveryId> deliveries, Duration extension) {
    Validation.group(group);
    Validation.required("deliveries", deliveries);
    Validation.positive("extension", extension);
    return open(() -> state.extend(group, deliveries, extension));
  }

  @Override
  public Receipt deadLetter(DeadLetterRequest request) {
    Validation.required("request", request);
    Receipt receipt =
        open(
            () -> {
              if (!state.isCurrent(request.group(), request.delivery())) {
                throw new StaleDeliveryException(
                    request.delivery(), "the lease is expired, re-granted or settled");
              }
              TopicLog dlq = files.topicLogs().get(request.deadLetterTopic());
              if (dlq == null) {
                dlq = files.createTopicIfAbsent(request.deadLetterTopic(), TopicConfig.defaults());
              }
              Receipt r =
                  appends.append(dlq, List.of(OutgoingMessage.of(request.message())), now()).get(0);
              state.ack(request.group(), List.of(Ack.of(request.delivery())));
              return r;
            });
    watchers.appended(request.deadLetterTopic());
    return receipt;
  }

  @Override
  public AppendWatch watchAppends(String topic, Runnable listener) {
    return open(() -> watchers.add(topic, listener));
  }

  // --------------------------------------------------------------------------------------- offsets

  @Override
  public long seek(String group, String topic, int partition, Position position) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.required("position", position);
    return open(
        () -> {
          topic(topic).partition(partition);
          return state.seek(group, topic, partition, position);
        });
  }

  @Override
  public List<GroupPartition> groupState(String group, String topic) {
    Validation.group(group);
    return open(
        () -> {
          topic(topic);
          return state.groupState(group, topic);
        });
  }

  @Override
  public List<String> listGroups(String topic) {
    return open(
        () -> {
          topic(topic);
          return state.listGroups(topic);
        });
  }

  @Override
  public boolean isProcessed(String group, String topic, String processedKey) {
    Validation.group(group);
    Validation.topic(topic);
    Validation.idempotencyKey(processedKey);
    return open(
        () -> state.isProcessed(group, topic, processedKey, topic(topic).config().dedupeWindow()));
  }

  // ------------------------------------------------------------------------------------- retention

  @Override
  public long enforceRetention() {
    return open(
        () -> {
          Instant now = now();
          long removed = 0;
          try {
            for (TopicLog t : files.topicLogs().values()) {
              removed += Retention.apply(t, state, now);
            }
          } catch (IOException e) {
            throw new StorageFailedException("retention failed", e);
          }
          state.expire(now);
          return removed;
        });
  }

  // ---------------------------------------------------------------------------------------- status

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public StorageHealth health() {
    if (closed) {
      return new StorageHealth(false, "file storage " + files.config().directory() + " is closed");
    }
    Throwable failure = files.failStop().cause();
    return failure == null
        ? new StorageHealth(true, "file storage " + files.config().directory())
        : new StorageHealth(
            false,
            "file storage "
                + files.config().directory()
                + " failed: "
                + failure
                + "; reopen it to recover");
  }

  /** Forces, writes a group-state snapshot, closes files and releases the directory. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    files.close();
  }

  /** Tests: a simulated crash (nothing forced, no snapshot, the lock released). */
  void abandon() {
    closed = true;
    files.abandon();
  }

  /** Internal: group-commit counters (forces, total nanoseconds) for benchmarks. */
  long[] forceStats() {
    return files.committer() == null ? new long[2] : files.committer().stats();
  }

  @Override
  public String toString() {
    return "FileStorage[" + files.config().directory() + (closed ? ", closed]" : "]");
  }
}
