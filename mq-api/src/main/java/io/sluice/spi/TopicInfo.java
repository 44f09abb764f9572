package io.sluice.spi;

import io.sluice.api.TopicConfig;
import java.util.List;

/** A topic, its configuration, and each partition's range. */
public record TopicInfo(String name, TopicConfig config, List<PartitionInfo> partitions) {
  public TopicInfo {
    partitions = List.copyOf(partitions);
  }
}
