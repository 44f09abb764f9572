package io.sluice.spi;

import io.sluice.api.Message;
import io.sluice.api.error.InvalidConfigException;

/**
 * A message to append, with its target partition or {@link #ANY_PARTITION} to let the store choose
 * (by key hash when keyed; spread evenly when not).
 */
public record OutgoingMessage(Message message, int partition) {
  /** Let the store choose the partition. */
  public static final int ANY_PARTITION = -1;

  public OutgoingMessage {
    if (message == null) {
      throw new io.sluice.api.error.InvalidMessageException("message must not be null");
    }
    if (partition < ANY_PARTITION) {
      throw new InvalidConfigException(
          "partition must be >= 0 or ANY_PARTITION, found " + partition);
    }
  }

  /** Partition chosen by the store. */
  public static OutgoingMessage of(Message message) {
    return new OutgoingMessage(message, ANY_PARTITION);
  }

  /** An explicit partition (bypasses the key hash). */
  public static OutgoingMessage toPartition(Message message, int partition) {
    return new OutgoingMessage(message, partition);
  }
}
