package io.sluice.storage.file;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.api.error.UnsupportedCapabilityException;
import io.sluice.spi.AbstractStorage;
import io.sluice.spi.AckRequest;
import io.sluice.spi.AppendRequest;
import io.sluice.spi.BatchResult;
import io.sluice.spi.Capabilities;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.ExtendRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.ReadRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.SeekRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.log.LogReader;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.Pauses;
import io.sluice.storage.file.internal.state.StateView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A file store opened read-only ({@link FileStorage#openReadOnly}): no lock, no recovery, no write
 * of any kind, so it can look at a store that another process holds open. Every call reads the
 * directory afresh (topics, segment ranges, group state), so it follows a live store; group state
 * is replayed when the state files changed since the last call. Operations that would change
 * anything throw {@link UnsupportedCapabilityException}.
 */
final class ReadOnlyFileStorage extends AbstractStorage {
  private static final Capabilities CAPABILITIES =
      new Capabilities("file (read-only)", true, false, false, false);

  private final Path directory;
  private final InstantSource clock;
  private final Object stateLock = new Object();
  private String stateStamp;
  private StateView state;

  ReadOnlyFileStorage(Path directory, InstantSource clock) {
    this.directory = directory;
    this.clock = clock;
    if (!Files.isDirectory(directory.resolve("topics"))) {
      throw new StorageFailedException(
          "no file store in " + directory + ": expected a directory with a topics/ folder", null);
    }
  }

  @Override
  protected String describe() {
    return "read-only file storage " + directory;
  }

  private UnsupportedCapabilityException readOnly(String what) {
    return new UnsupportedCapabilityException(
        "cannot "
            + what
            + ": the file store "
            + directory
            + " is open read-only; open it with FileStorage.open to change it");
  }

  private Path topicDir(String topic) {
    return directory.resolve("topics").resolve(topic);
  }

  private static <T> T io(IoCall<T> call) {
    try {
      return call.run();
    } catch (IOException e) {
      throw new StorageFailedException("read failed: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new StorageFailedException("read failed: " + e.getMessage(), e.getCause());
    }
  }

  private interface IoCall<T> {
    T run() throws IOException;
  }

  private TopicConfig config(String topic) throws IOException {
    Path file = topicDir(topic).resolve(TopicLog.CONFIG_FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new TopicNotFoundException(topic);
    }
    return TopicLog.parseConfig(text);
  }

  private TopicInfo info(String topic) throws IOException {
    TopicConfig config = config(topic);
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int p = 0; p < config.partitions(); p++) {
      LogReader.Range r = LogReader.range(topicDir(topic).resolve(Integer.toString(p)));
      partitions.add(new PartitionInfo(p, r.logStart(), r.end(), r.bytes()));
    }
    return new TopicInfo(topic, config, partitions);
  }

  /** One partition's range (reading only that partition's newest segment). */
  private PartitionInfo partition(String topic, int partition) throws IOException {
    int count = config(topic).partitions();
    if (partition < 0 || partition >= count) {
      throw new InvalidPartitionException(topic, partition, count);
    }
    LogReader.Range r = LogReader.range(topicDir(topic).resolve(Integer.toString(partition)));
    return new PartitionInfo(partition, r.logStart(), r.end(), r.bytes());
  }

  @Override
  protected TopicInfo doDescribeTopic(String topic) {
    return io(() -> info(topic));
  }

  @Override
  protected List<TopicInfo> doListTopics() {
    return io(
        () -> {
          List<String> names;
          try (Stream<Path> dirs = Files.list(directory.resolve("topics"))) {
            names =
                dirs.filter(d -> Files.exists(d.resolve(TopicLog.CONFIG_FILE)))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
          }
          List<TopicInfo> out = new ArrayList<>();
          for (String name : names) {
            try {
              out.add(info(name));
            } catch (TopicNotFoundException removed) {
              // deleted meanwhile
            }
          }
          return out;
        });
  }

  @Override
  protected List<StoredMessage> doRead(ReadRequest request) {
    return io(
        () -> {
          PartitionInfo range = partition(request.topic(), request.partition());
          long from = request.fromOffset();
          if (from < range.logStartOffset() || from > range.endOffset()) {
            throw new OffsetOutOfRangeException(
                request.topic(),
                request.partition(),
                from,
                range.logStartOffset(),
                range.endOffset());
          }
          return LogReader.read(
              request.topic(),
              request.partition(),
              topicDir(request.topic()).resolve(Integer.toString(request.partition())),
              from,
              request.max());
        });
  }

  @Override
  protected long doOffsetFor(String topic, int partition, Position position) {
    return io(
        () -> {
          PartitionInfo range = partition(topic, partition);
          return switch (position) {
            case Position.Earliest e -> range.logStartOffset();
            case Position.Latest l -> range.endOffset();
            case Position.Offset o ->
                Math.max(range.logStartOffset(), Math.min(range.endOffset(), o.offset()));
            case Position.Timestamp t ->
                LogReader.offsetForTimestamp(
                    topic,
                    partition,
                    topicDir(topic).resolve(Integer.toString(partition)),
                    t.timestamp());
          };
        });
  }

  private StateView state() throws IOException {
    Path dir = directory.resolve("state");
    StringBuilder stamp = new StringBuilder();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          try {
            stamp.append(f.getFileName()).append('=').append(Files.size(f)).append(';');
          } catch (NoSuchFileException e) {
            stamp.append(f.getFileName()).append("=gone;");
          }
        }
      }
    }
    synchronized (stateLock) {
      if (state == null || !stamp.toString().equals(stateStamp)) {
        state = StateView.read(FileIo.DEFAULT, dir);
        stateStamp = stamp.toString();
      }
      return state;
    }
  }

  @Override
  protected List<GroupPartition> doGroupState(String group, String topic) {
    return io(
        () -> {
          TopicInfo info = info(topic);
          StateView s = state();
          Instant now = clock.instant();
          List<GroupPartition> out = new ArrayList<>();
          for (PartitionInfo p : info.partitions()) {
            out.add(
                s.progress(group, topic, p.partition(), p.logStartOffset(), p.endOffset(), now));
          }
          return out;
        });
  }

  @Override
  protected List<String> doListGroups(String topic) {
    return io(() -> state().listGroups(topic));
  }

  @Override
  protected boolean doIsProcessed(String group, String topic, String processedKey) {
    return io(() -> state().isProcessed(group, topic, processedKey));
  }

  @Override
  protected boolean doIsPaused(String group, String topic) {
    return io(() -> Pauses.read(directory).isPaused(group, topic));
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  protected StorageHealth doHealth() {
    return new StorageHealth(true, describe());
  }

  @Override
  protected void doClose() {}

  // ------------------------------------------------------------------------- refused: read-only

  @Override
  protected TopicInfo doCreateTopic(String topic, TopicConfig config) {
    throw readOnly("create topic " + topic);
  }

  @Override
  protected TopicInfo doGrowPartitions(String topic, int partitions) {
    throw readOnly("grow topic " + topic);
  }

  @Override
  protected List<Receipt> doAppend(AppendRequest request) {
    throw readOnly("append to " + request.topic());
  }

  @Override
  protected List<Lease> doClaim(ClaimRequest request) {
    throw readOnly("claim from " + request.topic());
  }

  @Override
  protected BatchResult doMarkStarted(StartRequest request) {
    throw readOnly("mark deliveries started");
  }

  @Override
  protected BatchResult doAck(AckRequest request) {
    throw readOnly("ack");
  }

  @Override
  protected void doRelease(ReleaseRequest request) {
    throw readOnly("release a delivery");
  }

  @Override
  protected BatchResult doExtendLeases(ExtendRequest request) {
    throw readOnly("extend leases");
  }

  @Override
  protected Receipt doDeadLetter(DeadLetterRequest request) {
    throw readOnly("dead-letter");
  }

  @Override
  protected long doSeek(SeekRequest request) {
    throw readOnly("seek group " + request.group());
  }

  @Override
  protected void doPause(PauseRequest request) {
    throw readOnly("pause or resume group " + request.group());
  }

  @Override
  protected long doEnforceRetention() {
    throw readOnly("enforce retention");
  }
}
