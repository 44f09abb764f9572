package io.sluice.consumer.internal;

import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.BrowsedMessage;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.OffsetChange;
import io.sluice.consumer.admin.TopicView;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.SeekRequest;
import io.sluice.spi.Storage;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The {@link SluiceAdmin} implementation. */
public final class Admin implements SluiceAdmin {
  private static final Comparator<BrowsedMessage> BY_TIME =
      Comparator.<BrowsedMessage, java.time.Instant>comparing(m -> m.message().timestamp())
          .thenComparingInt(BrowsedMessage::partition)
          .thenComparingLong(BrowsedMessage::offset);

  private final Storage storage;
  private final DeadLetterQueue dlq;

  /** An admin view over {@code storage}. */
  public Admin(Storage storage, InstantSource clock) {
    this.storage = Validation.required("storage", storage);
    this.dlq = new DeadLetterQueue(storage, Validation.required("clock", clock));
  }

  @Override
  public TopicView createTopic(String topic, TopicConfig config) {
    return AdminViews.topic(storage.createTopic(topic, config));
  }

  @Override
  public TopicView growPartitions(String topic, int partitions) {
    return AdminViews.topic(storage.growPartitions(topic, partitions));
  }

  @Override
  public TopicView describeTopic(String topic) {
    return AdminViews.topic(storage.describeTopic(topic));
  }

  @Override
  public List<TopicView> listTopics() {
    return AdminViews.topics(storage.listTopics());
  }

  @Override
  public List<BrowsedMessage> browse(String topic, int partition, Position from, int limit) {
    Validation.required("from", from);
    if (limit < 1 || limit > MAX_BROWSE) {
      throw new InvalidConfigException(
          "browse limit: expected 1 to " + MAX_BROWSE + ", found " + limit);
    }
    List<BrowsedMessage> out = new ArrayList<>();
    for (int p : partitions(storage.describeTopic(topic), partition)) {
      long offset = storage.offsetFor(topic, p, from);
      int before = out.size();
      while (out.size() - before < limit) {
        List<StoredMessage> chunk = storage.read(topic, p, offset, limit - (out.size() - before));
        if (chunk.isEmpty()) {
          break;
        }
        for (StoredMessage m : chunk) {
          out.add(new BrowsedMessage(m.topic(), m.partition(), m.offset(), m.message()));
          offset = m.offset() + 1;
        }
      }
    }
    if (partition == ALL_PARTITIONS) {
      out.sort(BY_TIME);
      return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }
    return List.copyOf(out);
  }

  @Override
  public List<String> listGroups(String topic) {
    return storage.listGroups(topic);
  }

  @Override
  public GroupView describeGroup(String group, String topic) {
    List<GroupPartition> state = storage.groupState(group, topic);
    return new GroupView(group, topic, storage.isPaused(group, topic), AdminViews.progress(state));
  }

  @Override
  public long lag(String group, String topic) {
    return storage.groupState(group, topic).stream().mapToLong(GroupPartition::lag).sum();
  }

  @Override
  public long seek(String group, String topic, int partition, Position position) {
    return storage.seek(group, topic, partition, position);
  }

  @Override
  public List<OffsetChange> planResetOffsets(
      String group, String topic, int partition, Position to) {
    Validation.required("to", to);
    TopicInfo info = storage.describeTopic(topic);
    List<GroupPartition> state = storage.groupState(Validation.group(group), topic);
    List<OffsetChange> plan = new ArrayList<>();
    for (int p : partitions(info, partition)) {
      PartitionInfo range = info.partitions().get(p);
      if (to instanceof Position.Offset(long offset)
          && (offset < range.logStartOffset() || offset > range.endOffset())) {
        throw new OffsetOutOfRangeException(
            topic, p, offset, range.logStartOffset(), range.endOffset());
      }
      plan.add(
          new OffsetChange(p, state.get(p).committedOffset(), storage.offsetFor(topic, p, to)));
    }
    return List.copyOf(plan);
  }

  @Override
  public List<OffsetChange> resetOffsets(String group, String topic, int partition, Position to) {
    List<OffsetChange> plan = planResetOffsets(group, topic, partition, to);
    List<OffsetChange> done = new ArrayList<>(plan.size());
    for (OffsetChange change : plan) {
      long now = storage.seek(new SeekRequest(group, topic, change.partition(), to));
      done.add(new OffsetChange(change.partition(), change.from(), now));
    }
    return List.copyOf(done);
  }

  @Override
  public void pause(String group, String topic) {
    storage.pause(new PauseRequest(group, topic, true));
  }

  @Override
  public void resume(String group, String topic) {
    storage.pause(new PauseRequest(group, topic, false));
  }

  @Override
  public boolean isPaused(String group, String topic) {
    Validation.group(group);
    if (topic != null) {
      Validation.topic(topic);
    }
    return storage.isPaused(group, topic);
  }

  @Override
  public List<DeadLetter> deadLetters(String deadLetterTopic, int max) {
    return deadLetters(deadLetterTopic, d -> true, max);
  }

  @Override
  public List<DeadLetter> deadLetters(
      String deadLetterTopic, Predicate<? super DeadLetter> filter, int max) {
    Validation.topic(deadLetterTopic);
    Validation.required("filter", filter);
    if (max < 1) {
      throw new InvalidConfigException("max must be at least 1, found " + max);
    }
    return dlq.list(deadLetterTopic, filter, max);
  }

  @Override
  public Optional<DeadLetter> deadLetter(String deadLetterTopic, String id) {
    return dlq.find(Validation.topic(deadLetterTopic), DeadLetterQueue.EntryId.parse(id));
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
    return (int) drain(deadLetterTopic, filter, true);
  }

  @Override
  public boolean redriveById(String deadLetterTopic, String id) {
    return drainById(deadLetterTopic, id, true);
  }

  @Override
  public long purge(String deadLetterTopic) {
    return purge(deadLetterTopic, d -> true);
  }

  @Override
  public long purge(String deadLetterTopic, Predicate<? super DeadLetter> filter) {
    return drain(deadLetterTopic, filter, false);
  }

  @Override
  public boolean purgeById(String deadLetterTopic, String id) {
    return drainById(deadLetterTopic, id, false);
  }

  /** Redrives ({@code redrive}) or purges every pending entry {@code filter} accepts. */
  private long drain(
      String deadLetterTopic, Predicate<? super DeadLetter> filter, boolean redrive) {
    Validation.topic(deadLetterTopic);
    Validation.required("filter", filter);
    return dlq.drain(deadLetterTopic, filter, redrive, Long.MAX_VALUE);
  }

  /** Redrives ({@code redrive}) or purges the pending entry {@code id}; whether it was there. */
  private boolean drainById(String deadLetterTopic, String id, boolean redrive) {
    Validation.topic(deadLetterTopic);
    DeadLetterQueue.EntryId entry = DeadLetterQueue.EntryId.parse(id);
    return dlq.drain(deadLetterTopic, entry::names, redrive, 1) == 1;
  }

  private static List<Integer> partitions(TopicInfo info, int partition) {
    int count = info.partitions().size();
    if (partition == ALL_PARTITIONS) {
      List<Integer> all = new ArrayList<>(count);
      for (int p = 0; p < count; p++) {
        all.add(p);
      }
      return all;
    }
    if (partition < 0 || partition >= count) {
      throw new InvalidPartitionException(info.name(), partition, count);
    }
    return List.of(partition);
  }
}
