package io.sluice.benchmarks.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** What the disk and the JVM can do without Sluice: the numbers Sluice is compared to. */
final class RawBaselines {
  private RawBaselines() {}

  /** Length-prefixed records of {@code payload} bytes through a 1 MiB buffer; msg/s. */
  static double append(Path file, int count, int payload) throws IOException {
    return append(file, count, payload, new AtomicLong());
  }

  /** {@link #append(Path, int, int)}, publishing the records written so far in {@code done}. */
  static double append(Path file, int count, int payload, AtomicLong done) throws IOException {
    byte[] record = new byte[payload];
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long t0 = System.nanoTime();
    try (FileChannel ch = open(file)) {
      for (int i = 0; i < count; i++) {
        if (buf.remaining() < payload + 4) {
          buf.flip();
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          buf.clear();
        }
        buf.putInt(payload).put(record);
        done.lazySet(i + 1);
      }
      buf.flip();
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
    return count / seconds(t0);
  }

  /**
   * One positional write per record, no buffering: the ceiling of any append that must reach the
   * page cache before it returns; msg/s.
   */
  static double writePerMessage(Path file, int count, int payload, AtomicLong done)
      throws IOException {
    ByteBuffer record = ByteBuffer.allocateDirect(payload + 48);
    long position = 0;
    long t0 = System.nanoTime();
    try (FileChannel ch = open(file)) {
      for (int i = 0; i < count; i++) {
        record.clear();
        position += ch.write(record, position);
        done.lazySet(i + 1);
      }
    }
    return count / seconds(t0);
  }

  /** Reads back the file written by {@link #append}, walking the records; msg/s. */
  static double read(Path file) throws IOException {
    return read(file, new AtomicLong());
  }

  /** {@link #read(Path)}, publishing the records read so far in {@code done}. */
  static double read(Path file, AtomicLong done) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long n = 0;
    long t0 = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) > 0 || buf.position() > 0) {
        buf.flip();
        while (buf.remaining() >= 4 && buf.remaining() >= 4 + buf.getInt(buf.position())) {
          int len = buf.getInt();
          buf.position(buf.position() + len);
          n++;
          done.lazySet(n);
        }
        if (!buf.hasRemaining() && ch.position() == ch.size()) {
          break;
        }
        buf.compact();
      }
    }
    return n / seconds(t0);
  }

  /** One write and one {@code force(false)} per record, one thread; returns {msg/s, avg µs}. */
  static double[] fsyncPerMessage(Path file, int payload, long millis, AtomicLong done)
      throws IOException {
    ByteBuffer record = ByteBuffer.allocateDirect(payload + 4);
    long n = 0;
    long t0 = System.nanoTime();
    long end = t0 + millis * 1_000_000;
    try (FileChannel ch = open(file)) {
      while (System.nanoTime() < end) {
        record.clear();
        ch.write(record);
        ch.force(false);
        n++;
        done.lazySet(n);
      }
    }
    double s = seconds(t0);
    return new double[] {n / s, s * 1e6 / n};
  }

  /**
   * Raw group commit: {@code senders} threads hand records to one writer that writes all it has
   * gathered and forces once per gathered batch; each sender waits for its record's force.
   */
  static double groupCommit(Path file, int senders, int payload, long millis, AtomicLong done)
      throws Exception {
    LinkedBlockingQueue<CompletableFuture<Void>> queue = new LinkedBlockingQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    done.set(0);
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    try (FileChannel ch = open(file)) {
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    List<CompletableFuture<Void>> batch = new ArrayList<>();
                    try {
                      while (running.get() || !queue.isEmpty()) {
                        CompletableFuture<Void> first = queue.poll(10, TimeUnit.MILLISECONDS);
                        if (first == null) {
                          continue;
                        }
                        batch.add(first);
                        queue.drainTo(batch);
                        buf.clear();
                        for (int i = 0; i < batch.size(); i++) {
                          buf.putInt(payload).position(buf.position() + payload);
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                          ch.write(buf);
                        }
                        ch.force(false);
                        batch.forEach(f -> f.complete(null));
                        batch.clear();
                      }
                    } catch (IOException | InterruptedException e) {
                      throw new IllegalStateException(e);
                    }
                  });
      long t0 = System.nanoTime();
      long end = t0 + millis * 1_000_000;
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      while (System.nanoTime() < end) {
                        CompletableFuture<Void> f = new CompletableFuture<>();
                        queue.add(f);
                        f.join();
                        done.incrementAndGet();
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
      double s = seconds(t0);
      running.set(false);
      writer.join();
      return done.get() / s;
    }
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(
        file,
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.READ,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
