package io.sluice.spi;

import io.sluice.api.Position;
import io.sluice.api.internal.Validation;

/**
 * Moves a group's committed offset in one partition; see {@link Storage#seek(SeekRequest)}.
 *
 * @param group the consumer group, a valid name
 * @param topic the topic, a valid name
 * @param partition the partition (the store checks it against the topic)
 * @param position where to move: earliest, latest, an offset or a timestamp
 */
public record SeekRequest(String group, String topic, int partition, Position position) {
  public SeekRequest {
    Validation.group(group);
    Validation.topic(topic);
    Validation.required("position", position);
  }
}
