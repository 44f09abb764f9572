package io.sluice.storage.file.internal.io;

import io.sluice.api.error.StorageLockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The process lock on a store directory: an OS file lock on {@code <dir>/LOCK}, held while the
 * store is open. The OS releases it when the process dies, even by {@code kill -9}. A second opener
 * in this JVM or another gets {@link StorageLockedException} naming the lock file.
 *
 * <p>Within one JVM the lock is also tracked in a set of held paths, checked before the file is
 * even opened: on POSIX systems closing any descriptor of a file drops the process's locks on it,
 * so a refused second opener must never open and close the lock file.
 */
public final class DirectoryLock implements AutoCloseable {
  /** The lock file's name. */
  public static final String FILE_NAME = "LOCK";

  private static final java.util.Set<Path> HELD =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final FileChannel channel;
  private final FileLock lock;
  private final Path key;

  private DirectoryLock(FileChannel channel, FileLock lock, Path key) {
    this.channel = channel;
    this.lock = lock;
    this.key = key;
  }

  /** Takes the lock or throws {@link StorageLockedException}. */
  public static DirectoryLock acquire(FileIo io, Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    Path key = dir.toRealPath();
    if (!HELD.add(key)) {
      throw new StorageLockedException(file);
    }
    try {
      return lockFile(io, file, key);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      throw e;
    }
  }

  private static DirectoryLock lockFile(FileIo io, Path file, Path key) throws IOException {
    FileChannel ch =
        io.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw new StorageLockedException(file);
    }
    return new DirectoryLock(ch, lock, key);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      HELD.remove(key);
    }
  }
}
