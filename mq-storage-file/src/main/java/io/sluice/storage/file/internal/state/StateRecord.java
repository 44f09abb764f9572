package io.sluice.storage.file.internal.state;

import java.util.List;

/**
 * One record of the group-state journal or a snapshot. Every record is absolute (it sets values
 * rather than changing them), so replaying a record twice, or replaying records over a snapshot
 * that already holds some of them, gives the same state. Times are epoch microseconds, {@link
 * Micros#NONE} for none. The byte format is {@link StateCodec}'s.
 */
public sealed interface StateRecord {
  /** The store was opened for the {@code epoch}-th time (fencing tokens start at epoch << 40). */
  record Open(long epoch) implements StateRecord {}

  /** A group's committed offset in a partition was set, and its per-message state cleared. */
  record Cursor(String group, String topic, int partition, long committed) implements StateRecord {}

  /**
   * Messages a group acked in one partition, as half-open ranges {@code [ranges[2i],
   * ranges[2i+1])}, with the processed keys those acks recorded (in the same record, so a crash
   * keeps both or neither).
   */
  record Done(String group, String topic, int partition, long[] ranges, List<Processed> keys)
      implements StateRecord {
    /** Acks without processed keys. */
    public Done(String group, String topic, int partition, long[] ranges) {
      this(group, topic, partition, ranges, List.of());
    }
  }

  /** A processed key recorded by an ack at {@code at} (epoch microseconds). */
  record Processed(String key, long at) {}

  /** Per-message state of one group in one partition: not done, with these attempts. */
  record Entries(String group, String topic, int partition, List<EntryState> entries)
      implements StateRecord {}

  /**
   * One message's state.
   *
   * @param offset the message
   * @param attempts attempts counted so far: handler starts, and failed attempts released without a
   *     start (a version 1 journal written before attempts counted starts holds the claims counted)
   * @param firstDeliveredAt first claim, or {@link Micros#NONE}
   * @param nextVisible not claimable before this (a retry's backoff), or {@link Micros#NONE}
   */
  record EntryState(long offset, int attempts, long firstDeliveredAt, long nextVisible) {}

  /**
   * Messages of one lease run whose handlers started: each offset in the ranges has {@code
   * attempts} attempts counted and was first delivered at {@code firstDeliveredAt}; like an {@link
   * Entries} record with one entry per offset, in a few bytes.
   */
  record Started(
      String group, String topic, int partition, int attempts, long firstDeliveredAt, long[] ranges)
      implements StateRecord {}

  /**
   * Version 1 only (read to migrate): a producer idempotency key accepted at {@code at} with this
   * receipt; version 2 keeps the keys in the dedupe index.
   */
  record LegacyDedupe(String topic, String key, int partition, long offset, long timestamp, long at)
      implements StateRecord {}

  /** Version 1 only (read to migrate): a processed key of a group, recorded at {@code at}. */
  record LegacyProcessed(String group, String topic, String key, long at) implements StateRecord {}

  /**
   * Version 1 only (read to migrate): the idempotency keys of the partition's log below {@code
   * endOffset} are in the version 1 state.
   */
  record LegacyCheckpoint(String topic, int partition, long endOffset) implements StateRecord {}
}
