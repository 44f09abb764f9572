package io.sluice.consumer.admin;

/**
 * A consumer group's progress in one partition of a topic.
 *
 * @param partition the partition
 * @param committedOffset every message below it is done for the group; a partition the group has
 *     never consumed reports the offset it would start at
 * @param endOffset the partition's end offset
 * @param inFlight messages above the committed offset that are leased, waiting for a retry or a
 *     delivery time, or already done out of order
 * @param lag messages in {@code [committedOffset, endOffset)} not yet done for the group
 */
public record GroupPartitionView(
    int partition, long committedOffset, long endOffset, int inFlight, long lag) {}
