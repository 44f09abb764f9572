package io.sluice.consumer.admin;

/**
 * One partition's committed offset before and after a reset, planned (dry run) or applied; see
 * {@link io.sluice.consumer.SluiceAdmin#resetOffsets}.
 *
 * @param partition the partition
 * @param from the group's committed offset before the reset
 * @param to the committed offset after it
 */
public record OffsetChange(int partition, long from, long to) {

  /** {@code to - from}: negative replays messages, positive skips them. */
  public long delta() {
    return to - from;
  }
}
