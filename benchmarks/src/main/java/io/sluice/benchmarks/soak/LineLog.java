package io.sluice.benchmarks.soak;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only file of text lines, each written with one {@code write} call (so a SIGKILL leaves
 * whole lines, or a last line without its newline, which {@link #read} ignores). With {@code force}
 * every line is fsynced before {@link #append} returns. A stream, not a {@code FileChannel}: an
 * interrupted handler thread must not close the log for the rest of the process.
 */
final class LineLog implements AutoCloseable {
  private final FileOutputStream out;
  private final boolean force;
  private final ReentrantLock lock = new ReentrantLock();

  LineLog(Path file, boolean force) {
    try {
      this.out = new FileOutputStream(file.toFile(), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.force = force;
  }

  void append(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      out.write(bytes);
      if (force) {
        out.getFD().sync();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.unlock();
    }
  }

  /** The complete lines of {@code file}, split on spaces; none when it does not exist. */
  static List<String[]> read(Path file) throws IOException {
    List<String[]> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      return lines;
    }
    String all = Files.readString(file, StandardCharsets.UTF_8);
    int start = 0;
    for (int nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', start)) {
      if (nl > start) {
        lines.add(all.substring(start, nl).split(" "));
      }
      start = nl + 1;
    }
    return lines;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
