package io.sluice.storage.file.internal.log;

import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the batches of one segment file between two byte positions through a reusable buffer,
 * reading in large chunks. Each step validates the header against the bytes left and checks the CRC
 * before the batch is exposed. Not thread-safe.
 */
final class BatchCursor {
  /** The outcome of {@link #next()}. */
  enum Step {
    BATCH,
    END,
    INVALID
  }

  private final FileChannel channel;
  private final long limit;
  private byte[] buf;
  private long chunkStart;
  private int chunkLength;
  private long position;
  private int length;
  private int chunk;

  BatchCursor(FileChannel channel, long start, long limit, byte[] buffer) {
    this(channel, start, limit, buffer, buffer.length);
  }

  /**
   * @param firstChunk bytes to read first (a small read needs little); later reads double it up to
   *     the buffer's size
   */
  BatchCursor(FileChannel channel, long start, long limit, byte[] buffer, int firstChunk) {
    this.channel = channel;
    this.limit = limit;
    this.buf = buffer;
    this.position = start;
    this.chunkStart = start;
    this.chunkLength = 0;
    this.length = 0;
    this.chunk = Math.max(BatchCodec.HEADER_SIZE, Math.min(firstChunk, buffer.length));
  }

  /** Advances to the next batch; on {@link Step#INVALID} {@link #position()} names where. */
  Step next() throws IOException {
    position += length;
    length = 0;
    if (position >= limit) {
      return Step.END;
    }
    long available = limit - position;
    if (available < BatchCodec.HEADER_SIZE) {
      return Step.INVALID;
    }
    ensure(BatchCodec.HEADER_SIZE);
    int at = offsetInBuffer();
    int batchLength = BatchCodec.checkedLength(buf, at, available);
    if (batchLength < 0) {
      return Step.INVALID;
    }
    ensure(batchLength);
    at = offsetInBuffer();
    if (!BatchCodec.crcHolds(buf, at, batchLength)) {
      return Step.INVALID;
    }
    length = batchLength;
    return Step.BATCH;
  }

  /** The buffer holding the current batch. */
  byte[] buffer() {
    return buf;
  }

  /** Where the current batch starts in {@link #buffer()}. */
  int offsetInBuffer() {
    return (int) (position - chunkStart);
  }

  /** The file position of the current batch (or of the invalid data). */
  long position() {
    return position;
  }

  /** The current batch's length. */
  int length() {
    return length;
  }

  private void ensure(int bytes) throws IOException {
    if (position >= chunkStart && position + bytes <= chunkStart + chunkLength) {
      return;
    }
    if (bytes > buf.length) {
      buf = new byte[bytes];
    }
    int want = (int) Math.min(Math.max(bytes, chunk), limit - position);
    chunk = Math.min(buf.length, chunk * 2);
    ByteBuffer dst = ByteBuffer.wrap(buf, 0, want);
    int n = FileIo.readFully(channel, dst, position);
    chunkStart = position;
    chunkLength = n;
    if (n < bytes) {
      throw new IOException(
          "short read at position " + position + ": expected " + bytes + " bytes, found " + n);
    }
  }
}
