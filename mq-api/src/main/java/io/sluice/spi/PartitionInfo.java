package io.sluice.spi;

/**
 * One partition's retained range.
 *
 * @param partition the partition
 * @param logStartOffset the oldest retained offset (0 until retention removes something)
 * @param endOffset the offset the next message will get; messages below it are readable
 * @param retainedBytes the bytes the retained messages take in the store (file: segment files; SQL:
 *     an estimate), or -1 when the backend cannot tell cheaply
 */
public record PartitionInfo(
    int partition, long logStartOffset, long endOffset, long retainedBytes) {
  /** A range whose size the backend does not report. */
  public PartitionInfo(int partition, long logStartOffset, long endOffset) {
    this(partition, logStartOffset, endOffset, -1);
  }

  /** Messages retained: {@code endOffset - logStartOffset}. */
  public long retainedMessages() {
    return endOffset - logStartOffset;
  }
}
