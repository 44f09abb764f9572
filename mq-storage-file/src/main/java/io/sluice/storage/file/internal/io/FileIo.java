package io.sluice.storage.file.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The single I/O seam of the file store: every file it opens, renames, deletes or whose directory
 * it forces goes through here, and every write and force goes through a channel opened here. Tests
 * substitute an implementation that fails a chosen write or force, writes short, or reports a full
 * disk.
 */
public interface FileIo {
  /** The real file system. */
  FileIo DEFAULT = new FileIo() {};

  /** Opens a file channel. */
  default FileChannel open(Path path, OpenOption... options) throws IOException {
    return FileChannel.open(path, options);
  }

  /** Renames atomically, replacing {@code to}. */
  default void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a file if it exists. */
  default void delete(Path path) throws IOException {
    Files.deleteIfExists(path);
  }

  /** Forces a directory's entries (new, renamed, deleted names) to disk. */
  default void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open or force a directory; POSIX ones do not.
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        throw e;
      }
    }
  }

  /** Writes all of {@code src} at {@code position}. */
  static void writeFully(FileChannel ch, java.nio.ByteBuffer src, long position)
      throws IOException {
    long pos = position;
    while (src.hasRemaining()) {
      pos += ch.write(src, pos);
    }
  }

  /** Reads until {@code dst} is full or the end of the file; returns the bytes read. */
  static int readFully(FileChannel ch, java.nio.ByteBuffer dst, long position) throws IOException {
    int total = 0;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
