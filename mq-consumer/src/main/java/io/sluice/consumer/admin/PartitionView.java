package io.sluice.consumer.admin;

/**
 * One partition of a topic: the range of offsets it retains.
 *
 * @param partition the partition, from 0
 * @param logStartOffset the oldest retained offset (0 until retention removes something)
 * @param endOffset the offset the next message will get; messages below it are readable
 * @param retainedBytes the bytes the retained messages take in the store (file store: segment
 *     files; SQL: an estimate), or -1 when the backend cannot tell cheaply
 */
public record PartitionView(
    int partition, long logStartOffset, long endOffset, long retainedBytes) {

  /** Messages retained: {@code endOffset - logStartOffset}. */
  public long retainedMessages() {
    return endOffset - logStartOffset;
  }
}
