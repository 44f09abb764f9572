package io.sluice.consumer;

import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.internal.Admin;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Storage;
import io.sluice.spi.TopicInfo;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Predicate;

/**
 * Operations on topics, consumer groups and dead-letter topics. Thread-safe.
 *
 * <p><b>Dead-letter topics.</b> The runtime keeps track of which entries of a dead-letter topic are
 * still pending through an internal consumer group, {@value #DLQ_GROUP}, on that topic: {@link
 * #redrive} and {@link #purge} complete entries in that group, and {@link #deadLetters} and {@link
 * #countDeadLetters} show only pending ones. Concurrent redrives never re-enqueue an entry twice:
 * an entry is claimed by one redrive at a time, and the re-enqueued message carries an idempotency
 * key derived from the entry, so a retry after a crash is deduplicated by the store.
 *
 * <pre>{@code
 * SluiceAdmin admin = sluice.admin();
 * admin.createTopic("orders", TopicConfig.partitions(4));
 * long lag = admin.lag("billing", "orders");
 * List<DeadLetter> failed = admin.deadLetters("orders.dlq", 100);
 * int moved = admin.redrive("orders.dlq", d -> "billing".equals(d.group()));
 * }</pre>
 */
public interface SluiceAdmin {

  /** The internal group that tracks which dead-letter entries are settled. */
  String DLQ_GROUP = "sluice.dlq-admin";

  /** An admin view over {@code storage}. */
  static SluiceAdmin create(Storage storage, InstantSource clock) {
    return new Admin(storage, clock);
  }

  /** Creates a topic; idempotent for an equal configuration (see {@link Storage#createTopic}). */
  TopicInfo createTopic(String topic, TopicConfig config);

  /** Raises a topic's partition count. */
  TopicInfo growPartitions(String topic, int partitions);

  /** A topic's configuration and partitions. */
  TopicInfo describeTopic(String topic);

  /** Every topic, sorted by name. */
  List<TopicInfo> listTopics();

  /** The groups that have consumed from a topic, sorted by name. */
  List<String> listGroups(String topic);

  /** A group's progress in each partition of a topic. */
  List<GroupPartition> groupState(String group, String topic);

  /** A group's total lag on a topic: messages not yet done, summed over partitions. */
  long lag(String group, String topic);

  /** Moves a group's committed offset in one partition (replay or skip); returns the new one. */
  long seek(String group, String topic, int partition, Position position);

  /** Up to {@code max} pending entries of a dead-letter topic, oldest first. */
  List<DeadLetter> deadLetters(String deadLetterTopic, int max);

  /** The number of pending entries of a dead-letter topic. */
  long countDeadLetters(String deadLetterTopic);

  /**
   * Moves every pending entry back to its original topic and partition, for the group that
   * dead-lettered it only. Returns the number of entries moved. Only the entries present when the
   * call began are moved: a redriven message that fails again at once waits for the next call.
   */
  int redrive(String deadLetterTopic);

  /** Like {@link #redrive(String)} for the pending entries {@code filter} accepts. */
  int redrive(String deadLetterTopic, Predicate<? super DeadLetter> filter);

  /**
   * Settles every pending entry present when the call began, without re-enqueuing it. Returns the
   * number of entries purged.
   */
  long purge(String deadLetterTopic);
}
