package io.sluice.consumer;

import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.admin.BrowsedMessage;
import io.sluice.consumer.admin.DeadLetterFilter;
import io.sluice.consumer.admin.GroupPartitionView;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.OffsetChange;
import io.sluice.consumer.admin.TopicView;
import io.sluice.consumer.internal.Admin;
import io.sluice.spi.Storage;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Operations on topics, consumer groups and dead-letter topics. Thread-safe. Every value it takes
 * or returns is a public type of {@code io.sluice.api}, {@code io.sluice.consumer} or {@link
 * io.sluice.consumer.admin}; only the factory {@link #create} names the storage SPI.
 *
 * <p><b>Partitions.</b> Methods that take a partition accept {@link #ALL_PARTITIONS} for every
 * partition of the topic. A partition outside the topic raises {@link
 * io.sluice.api.error.InvalidPartitionException}; an unknown topic {@link
 * io.sluice.api.error.TopicNotFoundException}.
 *
 * <p><b>Pause.</b> {@link #pause(String, String)} is persistent and obeyed by the store: every
 * member of the group, in every process sharing the store, stops claiming within one poll, and the
 * pause survives restarts until {@link #resume(String, String)}.
 *
 * <p><b>Dead-letter topics.</b> The runtime keeps track of which entries of a dead-letter topic are
 * still pending through an internal consumer group, {@value #DLQ_GROUP}, on that topic: {@link
 * #redrive} and {@link #purge} complete entries in that group, and {@link #deadLetters} and {@link
 * #countDeadLetters} show only pending ones. Concurrent redrives never re-enqueue an entry twice:
 * an entry is claimed by one redrive at a time, and the re-enqueued message carries an idempotency
 * key derived from the entry, so a retry after a crash is deduplicated by the store. An entry is
 * named by its {@link DeadLetter#id() id}, {@code "partition:offset"} in the dead-letter topic.
 *
 * <pre>{@code
 * SluiceAdmin admin = sluice.admin();
 * admin.createTopic("orders", TopicConfig.partitions(4));
 * long lag = admin.lag("billing", "orders");
 * List<OffsetChange> plan = admin.planResetOffsets("billing", "orders", ALL_PARTITIONS, EARLIEST);
 * List<DeadLetter> failed = admin.deadLetters("orders.dlq", 100);
 * int moved = admin.redrive("orders.dlq", DeadLetterFilter.ALL.withGroup("billing"));
 * }</pre>
 */
public interface SluiceAdmin {

  /** The internal group that tracks which dead-letter entries are settled. */
  String DLQ_GROUP = "sluice.dlq-admin";

  /** Stands for every partition of a topic where a method takes a partition. */
  int ALL_PARTITIONS = -1;

  /** The most messages one {@link #browse} call returns. */
  int MAX_BROWSE = 10_000;

  /** An admin view over {@code storage}. */
  static SluiceAdmin create(Storage storage, InstantSource clock) {
    return new Admin(storage, clock);
  }

  // ---------------------------------------------------------------------------------------- topics

  /** Creates a topic; idempotent for an equal configuration. */
  TopicView createTopic(String topic, TopicConfig config);

  /** Raises a topic's partition count (partitions never shrink). */
  TopicView growPartitions(String topic, int partitions);

  /** A topic's configuration and partitions (end offsets, retained range and bytes). */
  TopicView describeTopic(String topic);

  /** Every topic, sorted by name. */
  List<TopicView> listTopics();

  /**
   * Up to {@code limit} messages of a topic from {@code from}, without claiming or changing
   * anything. In one partition they come in offset order from the offset {@code from} names there
   * ({@link Position#EARLIEST}, {@link Position#LATEST}, an offset clamped to the retained range,
   * or the first message at or after a time). Over {@link #ALL_PARTITIONS}, the first {@code limit}
   * messages of the partitions merged by timestamp, then partition, then offset.
   *
   * @param limit 1 to {@value #MAX_BROWSE}
   */
  List<BrowsedMessage> browse(String topic, int partition, Position from, int limit);

  // ---------------------------------------------------------------------------------------- groups

  /** The groups that have consumed from a topic, sorted by name. */
  List<String> listGroups(String topic);

  /**
   * A group's progress on a topic: committed offset, end offset, lag and in-flight count per
   * partition, and whether it is paused. A group that never consumed a partition shows the
   * partition's log start.
   */
  GroupView describeGroup(String group, String topic);

  /** A group's progress in each partition of a topic: {@code describeGroup(...).partitions()}. */
  default List<GroupPartitionView> groupState(String group, String topic) {
    return describeGroup(group, topic).partitions();
  }

  /** A group's total lag on a topic: messages not yet done, summed over partitions. */
  long lag(String group, String topic);

  /** Moves a group's committed offset in one partition (replay or skip); returns the new one. */
  long seek(String group, String topic, int partition, Position position);

  /**
   * The change {@link #resetOffsets} would make now, without making it (a dry run): for each
   * partition, the group's committed offset and the offset {@code to} names.
   */
  List<OffsetChange> planResetOffsets(String group, String topic, int partition, Position to);

  /**
   * Moves a group's committed offset in one partition or all of them to {@code to} ({@link
   * Position#EARLIEST}, {@link Position#LATEST}, an offset, or the first message at or after a
   * time) and returns what changed. The group's leases there become stale (their acks are rejected)
   * and its retry and attempt state is forgotten; pause the group first to reset it between two
   * deliveries rather than under them.
   *
   * @throws io.sluice.api.error.OffsetOutOfRangeException for an explicit offset outside a
   *     partition's retained range
   */
  List<OffsetChange> resetOffsets(String group, String topic, int partition, Position to);

  /**
   * Pauses a group on one topic, or on every topic with {@code topic == null}, persistently (see
   * the class description). Leases already granted run their course. Idempotent; the topic need not
   * exist.
   */
  void pause(String group, String topic);

  /**
   * Resumes a group on one topic, or with {@code topic == null} clears the group-wide pause and
   * every per-topic pause of the group. Idempotent.
   */
  void resume(String group, String topic);

  /**
   * Whether the group's claims on the topic are paused (group-wide or for that topic); with {@code
   * topic == null}, whether the group-wide pause is set.
   */
  boolean isPaused(String group, String topic);

  // ------------------------------------------------------------------------------- dead letters

  /** Up to {@code max} pending entries of a dead-letter topic, oldest first per partition. */
  List<DeadLetter> deadLetters(String deadLetterTopic, int max);

  /** Up to {@code max} pending entries that {@code filter} accepts, oldest first per partition. */
  List<DeadLetter> deadLetters(
      String deadLetterTopic, Predicate<? super DeadLetter> filter, int max);

  /**
   * The entry with this id ({@code "partition:offset"}), if it exists and is pending.
   *
   * @throws io.sluice.api.error.InvalidConfigException for an id not of that form
   */
  Optional<DeadLetter> deadLetter(String deadLetterTopic, String id);

  /**
   * The number of pending entries of a dead-letter topic (0 if it does not exist). Costs one
   * progress read per partition, whatever the number of entries.
   */
  long countDeadLetters(String deadLetterTopic);

  /**
   * Moves every pending entry back to its original topic and partition, for the group that
   * dead-lettered it only. Returns the number of entries moved. Only the entries present when the
   * call began are moved: a redriven message that fails again at once waits for the next call.
   */
  int redrive(String deadLetterTopic);

  /**
   * Like {@link #redrive(String)} for the pending entries {@code filter} accepts (for example a
   * {@link DeadLetterFilter}).
   */
  int redrive(String deadLetterTopic, Predicate<? super DeadLetter> filter);

  /** Redrives one pending entry by id; returns false if no pending entry has that id. */
  boolean redriveById(String deadLetterTopic, String id);

  /**
   * Settles every pending entry present when the call began, without re-enqueuing it. Returns the
   * number of entries purged.
   */
  long purge(String deadLetterTopic);

  /** Like {@link #purge(String)} for the pending entries {@code filter} accepts. */
  long purge(String deadLetterTopic, Predicate<? super DeadLetter> filter);

  /** Purges one pending entry by id; returns false if no pending entry has that id. */
  boolean purgeById(String deadLetterTopic, String id);
}
