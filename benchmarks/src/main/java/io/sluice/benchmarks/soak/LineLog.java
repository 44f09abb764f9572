package io.sluice.benchmarks.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only file of text lines, each written with one {@code write} call (so a SIGKILL leaves
 * whole lines, or a last line without its newline, which {@link #read} ignores). With {@code force}
 * every line is fsynced before {@link #append} returns.
 */
final class LineLog implements AutoCloseable {
  private final FileChannel channel;
  private final boolean force;
  private final ReentrantLock lock = new ReentrantLock();

  LineLog(Path file, boolean force) {
    try {
      this.channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.force = force;
  }

  void append(String line) {
    ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    lock.lock();
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      if (force) {
        channel.force(false);
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
    channel.close();
  }
}
