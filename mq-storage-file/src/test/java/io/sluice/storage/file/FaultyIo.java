package io.sluice.storage.file;

import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A {@link FileIo} that fails chosen operations: writes (optionally short, as a full disk does),
 * forces, renames, directory forces, opens and deletes, each for paths matching a predicate.
 */
final class FaultyIo implements FileIo {
  volatile Predicate<Path> failWrite = p -> false;
  volatile boolean shortWrite;
  volatile Predicate<Path> failForce = p -> false;
  volatile Predicate<Path> failMove = p -> false;
  volatile Predicate<Path> failDirForce = p -> false;
  volatile Predicate<Path> failOpen = p -> false;
  volatile Predicate<Path> failDelete = p -> false;

  /**
   * Forces of matching paths (asked in the forcing thread) sleep {@link #slowForceMillis} first.
   */
  volatile Predicate<Path> slowForce = p -> false;

  volatile long slowForceMillis;

  /** Per file opened here: its size at the start of its last successful force. */
  final java.util.concurrent.ConcurrentHashMap<Path, Long> synced =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Simulated power loss, after the store was abandoned: every file opened here loses what its last
   * force did not cover, and gets {@code garbage} random bytes in its place (a partly written
   * page). Returns how many files lost data.
   */
  int losePower(java.util.Random random, int garbage) throws IOException {
    int cut = 0;
    for (var e : synced.entrySet()) {
      Path p = e.getKey();
      if (!java.nio.file.Files.exists(p) || p.getFileName().toString().equals("LOCK")) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
        if (ch.size() > e.getValue()) {
          ch.truncate(e.getValue());
          byte[] junk = new byte[random.nextInt(garbage + 1)];
          random.nextBytes(junk);
          ch.write(ByteBuffer.wrap(junk), e.getValue());
          cut++;
        }
      }
    }
    return cut;
  }

  static IOException diskFull() {
    return new IOException("No space left on device");
  }

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    if (failOpen.test(path)) {
      throw diskFull();
    }
    synced.putIfAbsent(path, java.nio.file.Files.exists(path) ? java.nio.file.Files.size(path) : 0);
    return new Channel(path, FileChannel.open(path, options));
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    if (failMove.test(to)) {
      throw new IOException("injected crash before rename to " + to);
    }
    FileIo.super.move(from, to);
  }

  @Override
  public void delete(Path path) throws IOException {
    if (failDelete.test(path)) {
      throw new IOException("injected crash before deleting " + path);
    }
    FileIo.super.delete(path);
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    if (failDirForce.test(dir)) {
      throw new IOException("injected directory fsync failure for " + dir);
    }
    FileIo.super.forceDirectory(dir);
  }

  /** Delegates to a real channel, failing what the predicates select. */
  private final class Channel extends ForwardingFileChannel {
    Channel(Path path, FileChannel delegate) {
      super(path, delegate);
    }

    private int maybeFail(ByteBuffer src, long position) throws IOException {
      if (!failWrite.test(path)) {
        return -1;
      }
      if (shortWrite && src.remaining() > 1) {
        ByteBuffer half = src.duplicate();
        half.limit(half.position() + src.remaining() / 2);
        delegate.write(half, position);
      }
      throw diskFull();
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      maybeFail(src, position);
      return delegate.write(src, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      maybeFail(src, delegate.position());
      return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      if (failWrite.test(path)) {
        throw diskFull();
      }
      return delegate.write(srcs, offset, length);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (failForce.test(path)) {
        throw new IOException("injected fsync failure on " + path);
      }
      if (slowForce.test(path)) {
        try {
          Thread.sleep(slowForceMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      long size = delegate.size();
      delegate.force(metaData);
      synced.merge(path, size, Math::max);
    }
  }
}
