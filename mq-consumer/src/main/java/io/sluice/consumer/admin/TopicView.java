package io.sluice.consumer.admin;

import io.sluice.api.TopicConfig;
import java.util.List;

/**
 * A topic: its configuration and each partition's retained range.
 *
 * @param name the topic
 * @param config its configuration (partition count, retention, limits)
 * @param partitions every partition, sorted by partition
 */
public record TopicView(String name, TopicConfig config, List<PartitionView> partitions) {
  public TopicView {
    partitions = List.copyOf(partitions);
  }

  /** The sum of the partitions' end offsets: every message ever appended to the topic. */
  public long endOffsetSum() {
    return partitions.stream().mapToLong(PartitionView::endOffset).sum();
  }

  /** Messages retained, summed over partitions. */
  public long retainedMessages() {
    return partitions.stream().mapToLong(PartitionView::retainedMessages).sum();
  }

  /**
   * Bytes retained, summed over partitions, or -1 when the backend does not report a partition's
   * size.
   */
  public long retainedBytes() {
    long sum = 0;
    for (PartitionView p : partitions) {
      if (p.retainedBytes() < 0) {
        return -1;
      }
      sum += p.retainedBytes();
    }
    return sum;
  }
}
