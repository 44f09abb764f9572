package io.sluice.spi;

/**
 * One consumer group's progress in one partition.
 *
 * @param partition the partition
 * @param committedOffset every message below it is done for the group
 * @param endOffset the partition's end offset
 * @param inFlight messages above the committed offset that are under an unexpired lease, waiting
 *     for a retry or a delivery time that has not come, or already done out of order
 * @param lag messages in {@code [committedOffset, endOffset)} not yet done for the group: messages
 *     acked out of order above the committed offset do not count, so one message held back (a
 *     delayed or retrying one) counts one, not every message after it
 */
public record GroupPartition(
    int partition, long committedOffset, long endOffset, int inFlight, long lag) {
  /** Progress where nothing above the committed offset is done yet. */
  public GroupPartition(int partition, long committedOffset, long endOffset, int inFlight) {
    this(partition, committedOffset, endOffset, inFlight, Math.max(0, endOffset - committedOffset));
  }
}
