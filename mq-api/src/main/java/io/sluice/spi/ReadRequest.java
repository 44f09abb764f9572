package io.sluice.spi;

import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;

/**
 * Reads one partition's log from an offset, regardless of any group; see {@link
 * Storage#read(ReadRequest)}.
 *
 * @param topic the topic, a valid name
 * @param partition the partition (the store checks it against the topic's partition count)
 * @param fromOffset the first offset to read (the store checks it against the retained range)
 * @param max how many messages at most, 1 to {@link #MAX_READ}
 */
public record ReadRequest(String topic, int partition, long fromOffset, int max) {
  /** The largest {@code max}. */
  public static final int MAX_READ = 100_000;

  public ReadRequest {
    Validation.topic(topic);
    Validation.atLeast("max", max, 1);
    if (max > MAX_READ) {
      throw new InvalidConfigException("max must be at most " + MAX_READ + ", found " + max);
    }
  }
}
