package io.sluice.api.error;

/** A partition number is outside {@code [0, partitions)} for its topic. */
public final class InvalidPartitionException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final int partitions;

  public InvalidPartitionException(String topic, int partition, int partitions) {
    super(
        "topic "
            + io.sluice.api.internal.Texts.quote(topic)
            + " has no partition "
            + partition
            + ": expected 0 to "
            + (partitions - 1)
            + " ("
            + partitions
            + " partitions)");
    this.topic = topic;
    this.partition = partition;
    this.partitions = partitions;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public int partitions() {
    return partitions;
  }
}
