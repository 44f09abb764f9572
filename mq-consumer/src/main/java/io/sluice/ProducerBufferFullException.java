package io.sluice;

import io.sluice.api.error.SluiceException;

/**
 * A send waited {@link ProducerConfig#maxBlock()} for room in the producer's buffer and found none:
 * the store is slower than the senders. Nothing of the send was written.
 */
public final class ProducerBufferFullException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final long bufferedBytes;
  private final long limit;

  /** A send of {@code requested} bytes found {@code bufferedBytes} of {@code limit} in use. */
  public ProducerBufferFullException(long requested, long bufferedBytes, long limit) {
    super(
        "producer buffer full: expected room for "
            + requested
            + " bytes within maxBufferedBytes "
            + limit
            + ", found "
            + bufferedBytes
            + " bytes waiting; slow down senders or raise ProducerConfig.maxBufferedBytes/maxBlock");
    this.bufferedBytes = bufferedBytes;
    this.limit = limit;
  }

  /** Bytes waiting when the send gave up. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** The configured bound. */
  public long limit() {
    return limit;
  }
}
