package io.sluice.spi;

/**
 * One consumer group's progress in one partition.
 *
 * @param partition the partition
 * @param committedOffset every message below it is done for the group
 * @param endOffset the partition's end offset
 * @param inFlight messages above the committed offset that are under an unexpired lease, waiting
 *     for a retry that is not yet visible, or already done out of order
 */
public record GroupPartition(int partition, long committedOffset, long endOffset, int inFlight) {
  /** Messages not yet done: {@code endOffset - committedOffset}. */
  public long lag() {
    return Math.max(0, endOffset - committedOffset);
  }
}
