package io.sluice.storage.file.internal.state;

import java.time.Instant;
import java.util.List;

/**
 * One record of the group-state journal. Every record is absolute (it sets a value rather than
 * changing it), so replaying a record twice, or replaying records over a snapshot that already
 * holds some of them, gives the same state.
 */
public sealed interface StateRecord {
  /** The store was opened for the {@code epoch}-th time (fencing tokens start at epoch << 40). */
  record Open(long epoch) implements StateRecord {}

  /** A group's committed offset in a partition was set, and its per-message state cleared. */
  record Cursor(String group, String topic, int partition, long committed) implements StateRecord {}

  /** Per-message state of one group in one partition. */
  record Entries(String group, String topic, int partition, List<EntryState> entries)
      implements StateRecord {}

  /**
   * One message's state.
   *
   * @param offset the message
   * @param done acked (the committed offset advances over contiguous done messages)
   * @param attempts attempts counted so far: handler starts, and failed attempts released without a
   *     start (a journal written before attempts counted starts holds the claims counted)
   * @param firstDeliveredAt first claim, or null
   * @param nextVisible not claimable before this (a retry's backoff), or null
   */
  record EntryState(
      long offset, boolean done, int attempts, Instant firstDeliveredAt, Instant nextVisible) {}

  /** A group completed a message with this processed key at {@code at}. */
  record Processed(String group, String topic, String key, Instant at) implements StateRecord {}

  /** A producer idempotency key was accepted at {@code at} with this receipt. */
  record Dedupe(String topic, String key, int partition, long offset, Instant timestamp, Instant at)
      implements StateRecord {}

  /**
   * Every idempotency key in the partition's log below {@code endOffset} is reflected in the state;
   * on open, the log from here to its end is scanned for the rest.
   */
  record Checkpoint(String topic, int partition, long endOffset) implements StateRecord {}
}
