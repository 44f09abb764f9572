package io.sluice.storage.file.internal.store;

import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.SluiceException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.api.error.TopicExistsException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.file.internal.dedupe.DedupeSpace;
import io.sluice.storage.file.internal.io.DirectoryLock;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.io.GroupCommitter;
import io.sluice.storage.file.internal.log.BufferPool;
import io.sluice.storage.file.internal.log.LogSettings;
import io.sluice.storage.file.internal.log.SegmentSet;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.GroupStateStore;
import io.sluice.storage.file.internal.state.LogView;
import io.sluice.storage.file.internal.state.Pauses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything an open file store holds: the directory lock, the topics and their logs, the group
 * state, the group committer and the background thread (retention, state compaction, and the {@code
 * INTERVAL} flush). Layout: {@code <dir>/LOCK}, {@code <dir>/pauses}, {@code
 * <dir>/topics/<topic>/...}, {@code <dir>/state/...}, {@code <dir>/dedupe/...}.
 */
public final class StoreFiles implements LogView {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFiles.class);

  /** The longest a {@code SYNC} sender waits for its group commit before the store fails. */
  static final Duration GROUP_COMMIT_TIMEOUT = Duration.ofMinutes(2);

  private final FileStorageConfig config;
  private final FileIo io;
  private final DirectoryLock lock;
  private final FailStop failStop;
  private final LogSettings settings;
  private final GroupCommitter committer;
  private final ConcurrentSkipListMap<String, TopicLog> topics = new ConcurrentSkipListMap<>();
  private final ReentrantLock topicLock = new ReentrantLock();
  private final Housekeeping background;
  private GroupStateStore state;
  private Pauses pauses;

  private StoreFiles(FileStorageConfig config, FileIo io, DirectoryLock lock) {
    this.config = config;
    this.io = io;
    this.lock = lock;
    this.failStop = new FailStop(config.directory().toString());
    boolean sync = config.durability() instanceof Durability.Sync;
    this.settings =
        new LogSettings(
            io,
            new BufferPool(),
            failStop,
            config.segmentBytes(),
            config.segmentAge().toMillis(),
            config.indexIntervalBytes(),
            sync,
            !(config.durability() instanceof Durability.Os),
            config.truncateCorruptData(),
            !sync);
    this.committer = sync ? new GroupCommitter(failStop, GROUP_COMMIT_TIMEOUT) : null;
    this.background =
        new Housekeeping(
            config.retentionCheckInterval(),
            this::housekeeping,
            config.durability() instanceof Durability.Interval i ? i.period() : null,
            this::flush,
            this::compactState);
  }

  /** Locks the directory and opens everything in it. */
  public static StoreFiles open(FileStorageConfig config, FileIo io) {
    DirectoryLock lock;
    try {
      Files.createDirectories(config.directory().resolve("topics"));
      lock = DirectoryLock.acquire(io, config.directory());
    } catch (IOException e) {
      throw new StorageFailedException("cannot open store " + config.directory(), e);
    }
    StoreFiles f = new StoreFiles(config, io, lock);
    try {
      f.load();
      return f;
    } catch (IOException | RuntimeException e) {
      f.closeQuietly();
      if (e instanceof SluiceException se) {
        throw se;
      }
      throw new StorageFailedException("cannot open store " + config.directory(), e);
    }
  }

  private void load() throws IOException {
    long now = config.clock().millis();
    TopicLog.removeLeftovers(io, config.directory().resolve("topics"));
    try (Stream<Path> dirs = Files.list(config.directory().resolve("topics"))) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        TopicLog t = TopicLog.open(d.getFileName().toString(), d, settings, now);
        if (t == null) {
          LOG.warn(
              "ignoring {}: it has no {} (a creation interrupted by a crash)",
              d,
              TopicLog.CONFIG_FILE);
        } else {
          topics.put(t.name(), t);
        }
      }
    }
    pauses = Pauses.open(io, config.directory(), failStop);
    state =
        GroupStateStore.open(
            new GroupStateStore.Settings(
                io,
                config.directory().resolve("state"),
                config.directory().resolve("dedupe"),
                failStop,
                config.clock(),
                committer,
                config.truncateCorruptData(),
                config.keyOrderedWaitingLimit(),
                new DedupeSpace.Settings(
                    16,
                    256,
                    config.dedupeMappedBytes(),
                    DedupeSpace.Settings.DEFAULTS.maxMappedFiles())),
            this);
    for (TopicLog t : topics.values()) {
      for (SegmentSet log : t.partitions()) {
        state.reconcile(t.name(), log.partition(), log.endOffset());
      }
    }
    state.compactWhenJournalExceeds(config.stateJournalBytes(), background::askCompaction);
    if (committer != null) {
      committer.start();
    }
    background.start();
  }

  /** The configuration the store was opened with. */
  public FileStorageConfig config() {
    return config;
  }

  /** The store's fail-stop switch. */
  public FailStop failStop() {
    return failStop;
  }

  /** The group committer, or null unless {@code SYNC}. */
  public GroupCommitter committer() {
    return committer;
  }

  /** The consumer-group state. */
  public GroupStateStore state() {
    return state;
  }

  /** The paused consumer groups. */
  public Pauses pauses() {
    return pauses;
  }

  /** Topics by name. */
  public ConcurrentSkipListMap<String, TopicLog> topicLogs() {
    return topics;
  }

  @Override
  public SegmentSet partition(String topic, int partition) {
    TopicLog t = topics.get(topic);
    if (t == null) {
      throw new TopicNotFoundException(topic);
    }
    return t.partition(partition);
  }

  @Override
  public TopicConfig config(String topic) {
    TopicLog t = topics.get(topic);
    if (t == null) {
      throw new TopicNotFoundException(topic);
    }
    return t.config();
  }

  @Override
  public List<String> topics() {
    return List.copyOf(topics.keySet());
  }

  /** Creates a topic, or returns the existing one if its configuration is equal. */
  public TopicLog createTopic(String name, TopicConfig topicConfig) {
    topicLock.lock();
    try {
      TopicLog existing = topics.get(name);
      if (existing != null) {
        if (!existing.config().equals(topicConfig)) {
          throw new TopicExistsException(name, existing.config(), topicConfig);
        }
        return existing;
      }
      failStop.check();
      TopicLog t =
          TopicLog.create(
              name,
              config.directory().resolve("topics").resolve(name),
              topicConfig,
              settings,
              config.clock().millis());
      topics.put(name, t);
      return t;
    } catch (IOException e) {
      throw failStop.fail("create topic " + name, e);
    } finally {
      topicLock.unlock();
    }
  }

  /** The topic, created with {@code topicConfig} if it does not exist. */
  public TopicLog createTopicIfAbsent(String name, TopicConfig topicConfig) {
    topicLock.lock();
    try {
      TopicLog existing = topics.get(name);
      return existing != null ? existing : createTopic(name, topicConfig);
    } finally {
      topicLock.unlock();
    }
  }

  /** Raises a topic's partition count. */
  public TopicLog grow(TopicLog topic, int partitions) {
    topicLock.lock();
    try {
      int current = topic.partitionCount();
      if (partitions < current) {
        throw new InvalidConfigException(
            "partitions never shrink: topic \""
                + topic.name()
                + "\" has "
                + current
                + ", found a request for "
                + partitions);
      }
      if (partitions > current) {
        failStop.check();
        topic.grow(partitions, config.clock().millis());
      }
      return topic;
    } catch (IOException e) {
      throw failStop.fail("grow topic " + topic.name(), e);
    } finally {
      topicLock.unlock();
    }
  }

  private void housekeeping() {
    try {
      java.time.Instant now = config.clock().instant();
      for (TopicLog t : topics.values()) {
        Retention.apply(t, state, now);
      }
      state.expire(now);
      if (state.journalBytes() > config.stateJournalBytes()) {
        state.compact();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("background retention or state compaction failed in {}", config.directory(), e);
    }
  }

  private void compactState() {
    try {
      state.compact();
    } catch (IOException | RuntimeException e) {
      LOG.warn("group-state compaction failed in {}", config.directory(), e);
    }
  }

  private void flush() {
    try {
      for (TopicLog t : topics.values()) {
        for (SegmentSet log : t.partitions()) {
          if (log.dirty()) {
            log.force();
          }
        }
      }
      state.journalForce();
    } catch (IOException e) {
      failStop.fail("interval force (fsync) failed", e);
      LOG.error(
          "interval force failed in {}; the store refuses writes until reopened",
          config.directory(),
          e);
    }
  }

  /**
   * Simulates a crash for tests: stops threads and closes every file without forcing, flushing
   * indexes or writing a snapshot, then unlocks.
   */
  public void abandon() {
    background.close();
    if (committer != null) {
      committer.close();
    }
    try {
      state.abandon();
      for (TopicLog t : topics.values()) {
        for (SegmentSet log : t.partitions()) {
          log.abandon();
        }
      }
      lock.close();
    } catch (IOException e) {
      LOG.warn("abandoning {} failed", config.directory(), e);
    }
  }

  /** Stops background work, snapshots the state, forces and closes every file, unlocks. */
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    background.close();
    if (committer != null) {
      committer.close();
    }
    boolean healthy = failStop.cause() == null;
    try {
      if (state != null) {
        if (healthy) {
          state.compact();
        }
        state.close();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing the group state of {} failed", config.directory(), e);
    }
    for (TopicLog t : topics.values()) {
      for (SegmentSet log : t.partitions()) {
        try {
          log.close(healthy);
        } catch (IOException | RuntimeException e) {
          LOG.warn("closing {}-{} failed", t.name(), log.partition(), e);
        }
      }
    }
    try {
      lock.close();
    } catch (IOException e) {
      LOG.warn("releasing the lock of {} failed", config.directory(), e);
    }
  }
}
