package io.sluice.spi;

/**
 * One partition's retained range.
 *
 * @param partition the partition
 * @param logStartOffset the oldest retained offset (0 until retention removes something)
 * @param endOffset the offset the next message will get; messages below it are readable
 */
public record PartitionInfo(int partition, long logStartOffset, long endOffset) {}
