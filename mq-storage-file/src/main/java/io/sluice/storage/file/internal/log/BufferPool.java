package io.sluice.storage.file.internal.log;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reusable I/O buffers shared by a store's threads: direct buffers for encoding appends, heap
 * arrays for reading. Memory is bounded by the number of concurrent callers, not by partitions or
 * messages. (No ThreadLocal: buffers are taken and given back.)
 */
public final class BufferPool {
  /** Size of each pooled buffer: 1 MiB. */
  public static final int BUFFER_BYTES = 1 << 20;

  private static final int READ_BYTES = 256 << 10;
  private static final int MAX_POOLED = 16;

  private final ConcurrentLinkedQueue<ByteBuffer> writeBuffers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<byte[]> readBuffers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pooledWrite = new AtomicInteger();
  private final AtomicInteger pooledRead = new AtomicInteger();

  /** A cleared direct buffer of at least {@code bytes} (a one-off heap buffer if larger). */
  ByteBuffer takeWrite(int bytes) {
    if (bytes > BUFFER_BYTES) {
      return ByteBuffer.allocate(bytes);
    }
    ByteBuffer b = writeBuffers.poll();
    if (b == null) {
      return ByteBuffer.allocateDirect(BUFFER_BYTES);
    }
    pooledWrite.decrementAndGet();
    return b.clear();
  }

  void giveWrite(ByteBuffer b) {
    if (b.isDirect() && pooledWrite.incrementAndGet() <= MAX_POOLED) {
      writeBuffers.offer(b);
    } else if (b.isDirect()) {
      pooledWrite.decrementAndGet();
    }
  }

  byte[] takeRead() {
    byte[] b = readBuffers.poll();
    if (b == null) {
      return new byte[READ_BYTES];
    }
    pooledRead.decrementAndGet();
    return b;
  }

  void giveRead(byte[] b) {
    if (b.length == READ_BYTES && pooledRead.incrementAndGet() <= MAX_POOLED) {
      readBuffers.offer(b);
    } else if (b.length == READ_BYTES) {
      pooledRead.decrementAndGet();
    }
  }
}
