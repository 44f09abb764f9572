package io.sluice.storage.file.internal.state;

import io.sluice.api.TopicConfig;
import io.sluice.storage.file.internal.log.SegmentSet;

/** What group state needs to know about the logs. */
public interface LogView {
  /**
   * A partition's log.
   *
   * @throws io.sluice.api.error.TopicNotFoundException for an unknown topic
   * @throws io.sluice.api.error.InvalidPartitionException for a partition outside the topic
   */
  SegmentSet partition(String topic, int partition);

  /** The topic's configuration (partition count included). */
  TopicConfig config(String topic);

  /** Every topic's name. */
  java.util.List<String> topics();
}
