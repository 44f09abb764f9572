package io.sluice.api.error;

/**
 * An offset is negative, below the partition's log start (retention removed it), or past its end.
 */
public final class OffsetOutOfRangeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long offset;
  private final long logStartOffset;
  private final long endOffset;

  public OffsetOutOfRangeException(
      String topic, int partition, long offset, long logStartOffset, long endOffset) {
    super(
        "offset "
            + offset
            + " is out of range for "
            + topic
            + "-"
            + partition
            + ": expected "
            + logStartOffset
            + " to "
            + endOffset
            + (logStartOffset > 0 ? " (older messages were removed by retention)" : ""));
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.logStartOffset = logStartOffset;
    this.endOffset = endOffset;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  public long logStartOffset() {
    return logStartOffset;
  }

  public long endOffset() {
    return endOffset;
  }
}
