package io.sluice.spi.tck;

import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.TopicInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** One topic of {@link InMemoryStorage}. Not thread-safe: the store's lock guards it. */
final class MemTopic {
  /** A producer idempotency key accepted at {@code at}, with the receipt it was given. */
  record Accepted(Receipt receipt, Instant at) {}

  private final String name;
  private TopicConfig config;
  private final List<MemPartition> partitions = new ArrayList<>();
  private final Map<String, Accepted> dedupe = new HashMap<>();
  private int nextUnkeyed;

  MemTopic(String name, TopicConfig config) {
    this.name = name;
    this.config = config;
    for (int p = 0; p < config.partitions(); p++) {
      partitions.add(new MemPartition(p));
    }
  }

  String name() {
    return name;
  }

  TopicConfig config() {
    return config;
  }

  int partitionCount() {
    return partitions.size();
  }

  List<MemPartition> partitions() {
    return partitions;
  }

  MemPartition partition(int p) {
    if (p < 0 || p >= partitions.size()) {
      throw new InvalidPartitionException(name, p, partitions.size());
    }
    return partitions.get(p);
  }

  void grow(int count) {
    for (int p = partitions.size(); p < count; p++) {
      partitions.add(new MemPartition(p));
    }
    config = config.withPartitions(count);
  }

  /** The partition for this call's unkeyed messages: round-robin across calls. */
  int nextUnkeyedPartition() {
    int p = Math.floorMod(nextUnkeyed, partitions.size());
    nextUnkeyed = p + 1;
    return p;
  }

  /** The receipt of an idempotency key accepted within the dedupe window, or null. */
  Receipt accepted(String key, Instant now) {
    Accepted a = dedupe.get(key);
    return a != null && now.isBefore(a.at().plus(config.dedupeWindow())) ? a.receipt() : null;
  }

  void accept(String key, Receipt receipt, Instant now) {
    dedupe.put(key, new Accepted(receipt, now));
  }

  void expireDedupe(Instant now) {
    Iterator<Accepted> it = dedupe.values().iterator();
    while (it.hasNext()) {
      if (!now.isBefore(it.next().at().plus(config.dedupeWindow()))) {
        it.remove();
      }
    }
  }

  TopicInfo info() {
    List<PartitionInfo> infos = new ArrayList<>(partitions.size());
    for (MemPartition p : partitions) {
      infos.add(new PartitionInfo(p.id(), p.logStart(), p.end(), p.bytes()));
    }
    return new TopicInfo(name, config, infos);
  }
}
