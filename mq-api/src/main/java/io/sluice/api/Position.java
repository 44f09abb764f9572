package io.sluice.api;

import io.sluice.api.error.InvalidConfigException;
import java.time.Instant;

/**
 * A place in a partition's log: where a new consumer group starts, or where {@code seek} moves it.
 */
public sealed interface Position {
  /** The earliest retained message (the default start: nothing produced earlier is lost). */
  Position EARLIEST = new Earliest();

  /** The end of the log: only messages produced from now on. */
  Position LATEST = new Latest();

  /** An exact offset (clamped to the retained range when used as a start position). */
  static Position offset(long offset) {
    return new Offset(offset);
  }

  /** The first message whose timestamp is at or after this instant (the end if none). */
  static Position timestamp(Instant timestamp) {
    return new Timestamp(timestamp);
  }

  /** See {@link #EARLIEST}. */
  record Earliest() implements Position {}

  /** See {@link #LATEST}. */
  record Latest() implements Position {}

  /** See {@link #offset(long)}. */
  record Offset(long offset) implements Position {}

  /** See {@link #timestamp(Instant)}. */
  record Timestamp(Instant timestamp) implements Position {
    public Timestamp {
      if (timestamp == null) {
        throw new InvalidConfigException("position timestamp must not be null");
      }
    }
  }
}
