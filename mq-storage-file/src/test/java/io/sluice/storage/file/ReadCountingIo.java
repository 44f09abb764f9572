package io.sluice.storage.file;

import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileIo} that counts, per file, the bytes read through its channels and the largest
 * single read, and fails any read asking for more than {@link #maxRead} bytes (a store that read a
 * state file whole into one array would ask for all of it at once).
 */
final class ReadCountingIo implements FileIo {
  final Map<Path, AtomicLong> bytesRead = new ConcurrentHashMap<>();
  final Map<Path, AtomicLong> largestRead = new ConcurrentHashMap<>();
  final Map<Path, AtomicLong> mapped = new ConcurrentHashMap<>();
  volatile int maxRead = Integer.MAX_VALUE;

  /** Bytes read from files under {@code dir}. */
  long readUnder(Path dir) {
    return bytesRead.entrySet().stream()
        .filter(e -> e.getKey().startsWith(dir))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  long read(Path file) {
    AtomicLong n = bytesRead.get(file);
    return n == null ? 0 : n.get();
  }

  long largest(Path file) {
    AtomicLong n = largestRead.get(file);
    return n == null ? 0 : n.get();
  }

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new Channel(path, FileChannel.open(path, options));
  }

  private int counted(Path path, int n) {
    if (n > 0) {
      bytesRead.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(n);
    }
    return n;
  }

  private void check(Path path, ByteBuffer dst) throws IOException {
    largestRead
        .computeIfAbsent(path, p -> new AtomicLong())
        .accumulateAndGet(dst.remaining(), Math::max);
    if (dst.remaining() > maxRead) {
      throw new IOException(
          "read of " + dst.remaining() + " bytes from " + path + ", over the limit of " + maxRead);
    }
  }

  /** Delegates to a real channel, counting reads. */
  private final class Channel extends ForwardingFileChannel {
    Channel(Path path, FileChannel delegate) {
      super(path, delegate);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      check(path, dst);
      return counted(path, delegate.read(dst));
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      check(path, dst);
      return counted(path, delegate.read(dst, position));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      long n = delegate.read(dsts, offset, length);
      bytesRead.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(Math.max(0, n));
      return n;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      mapped.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(size);
      return delegate.map(mode, position, size);
    }
  }
}
