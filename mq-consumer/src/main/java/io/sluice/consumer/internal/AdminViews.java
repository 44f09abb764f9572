package io.sluice.consumer.internal;

import io.sluice.consumer.admin.GroupPartitionView;
import io.sluice.consumer.admin.PartitionView;
import io.sluice.consumer.admin.TopicView;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.TopicInfo;
import java.util.ArrayList;
import java.util.List;

/** Turns the storage SPI's values into the public admin views. */
final class AdminViews {
  private AdminViews() {}

  static TopicView topic(TopicInfo info) {
    List<PartitionView> partitions = new ArrayList<>(info.partitions().size());
    for (PartitionInfo p : info.partitions()) {
      partitions.add(
          new PartitionView(p.partition(), p.logStartOffset(), p.endOffset(), p.retainedBytes()));
    }
    return new TopicView(info.name(), info.config(), partitions);
  }

  static List<TopicView> topics(List<TopicInfo> infos) {
    return infos.stream().map(AdminViews::topic).toList();
  }

  static List<GroupPartitionView> progress(List<GroupPartition> state) {
    return state.stream()
        .map(
            p ->
                new GroupPartitionView(
                    p.partition(), p.committedOffset(), p.endOffset(), p.inFlight(), p.lag()))
        .toList();
  }
}
