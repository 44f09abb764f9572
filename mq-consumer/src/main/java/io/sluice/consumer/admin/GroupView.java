package io.sluice.consumer.admin;

import java.util.List;

/**
 * A consumer group on one topic.
 *
 * @param group the consumer group
 * @param topic the topic
 * @param paused whether the group's claims on the topic are paused persistently (a group-wide or a
 *     per-topic pause; see {@link io.sluice.consumer.SluiceAdmin#pause(String, String)})
 * @param partitions the group's progress in every partition, sorted by partition
 */
public record GroupView(
    String group, String topic, boolean paused, List<GroupPartitionView> partitions) {
  public GroupView {
    partitions = List.copyOf(partitions);
  }

  /** Messages not yet done, summed over partitions. */
  public long lag() {
    return partitions.stream().mapToLong(GroupPartitionView::lag).sum();
  }

  /** Messages leased, waiting for a retry, or done out of order, summed over partitions. */
  public int inFlight() {
    return partitions.stream().mapToInt(GroupPartitionView::inFlight).sum();
  }
}
