package io.sluice.storage.file;

import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
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
  private final class Channel extends FileChannel {
    private final Path path;
    private final FileChannel d;

    Channel(Path path, FileChannel delegate) {
      this.path = path;
      this.d = delegate;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      check(path, dst);
      return counted(path, d.read(dst));
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      check(path, dst);
      return counted(path, d.read(dst, position));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      long n = d.read(dsts, offset, length);
      bytesRead.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(Math.max(0, n));
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return d.write(src);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return d.write(src, position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return d.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return d.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      d.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return d.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      d.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      d.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return d.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return d.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      mapped.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(size);
      return d.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return d.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return d.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      d.close();
    }
  }
}
