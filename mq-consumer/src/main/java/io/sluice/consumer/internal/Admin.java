package io.sluice.consumer.internal;

import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Storage;
import io.sluice.spi.TopicInfo;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Predicate;

/** The {@link SluiceAdmin} implementation. */
public final class Admin implements SluiceAdmin {
  private final Storage storage;
  private final DeadLetterQueue dlq;

  /** An admin view over {@code storage}. */
  public Admin(Storage storage, InstantSource clock) {
    this.storage = Validation.required("storage", storage);
    this.dlq = new DeadLetterQueue(storage, Validation.required("clock", clock));
  }

  @Override
  public TopicInfo createTopic(String topic, TopicConfig config) {
    return storage.createTopic(topic, config);
  }

  @Override
  public TopicInfo growPartitions(String topic, int partitions) {
    return storage.growPartitions(topic, partitions);
  }

  @Override
  public TopicInfo describeTopic(String topic) {
    return storage.describeTopic(topic);
  }

  @Override
  public List<TopicInfo> listTopics() {
    return storage.listTopics();
  }

  @Override
  public List<String> listGroups(String topic) {
    return storage.listGroups(topic);
  }

  @Override
  public List<GroupPartition> groupState(String group, String topic) {
    return storage.groupState(group, topic);
  }

  @Override
  public long lag(String group, String topic) {
    return groupState(group, topic).stream().mapToLong(GroupPartition::lag).sum();
  }

  @Override
  public long seek(String group, String topic, int partition, Position position) {
    return storage.seek(group, topic, partition, position);
  }

  @Override
  public List<DeadLetter> deadLetters(String deadLetterTopic, int max) {
    Validation.topic(deadLetterTopic);
    if (max < 1) {
      throw new InvalidConfigException("max must be at least 1, found " + max);
    }
    return dlq.list(deadLetterTopic, max);
  }

  @Override
  public long countDeadLetters(String deadLetterTopic) {
    return dlq.count(Validation.topic(deadLetterTopic));
  }

  @Override
  public int redrive(String deadLetterTopic) {
    return redrive(deadLetterTopic, d -> true);
  }

  @Override
  public int redrive(String deadLetterTopic, Predicate<? super DeadLetter> filter) {
    Validation.topic(deadLetterTopic);
    Validation.required("filter", filter);
    return dlq.redrive(deadLetterTopic, filter);
  }

  @Override
  public long purge(String deadLetterTopic) {
    return dlq.purge(Validation.topic(deadLetterTopic));
  }
}
