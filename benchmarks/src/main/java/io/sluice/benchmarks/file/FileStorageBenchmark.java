package io.sluice.benchmarks.file;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.benchmarks.BarChart;
import io.sluice.benchmarks.Progress;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The file store's load harness: raw baselines and Sluice, in one run, 256-byte payloads.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.file.FileStorageBenchmark [dir]
 * </pre>
 *
 * Prints one line per figure and the ratios the targets are stated in, shows progress on standard
 * error (see {@link Progress}), and draws Sluice beside each raw baseline in {@code
 * file-storage-benchmark.svg} (see {@link BarChart#outputDirectory()}). {@code dir} (default: the
 * system temp directory) should be on the disk under test.
 */
public final class FileStorageBenchmark {
  private static final int PAYLOAD = 256;
  private static final int SINGLE = 1_000_000;
  private static final int BATCHED = 2_000_000;
  private static final Duration SYNC_TIME = Duration.ofSeconds(4);

  private FileStorageBenchmark() {}

  /** Runs everything and prints the figures. */
  public static void main(String[] args) throws Exception {
    Path base =
        Files.createTempDirectory(
            args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir")),
            "sluice-bench");
    try {
      run(base);
    } finally {
      delete(base);
    }
  }

  private static void run(Path base) throws Exception {
    System.out.printf(
        "file store benchmark, %d-byte payloads, %d cores, dir %s%n",
        PAYLOAD, Runtime.getRuntime().availableProcessors(), base);
    Path raw = base.resolve("raw.log");
    AtomicLong done = new AtomicLong();
    try (Progress p = Progress.count("warm-up", 4, done::get)) {
      warmUp(base.resolve("warm"), done);
    }
    // The durable figures first, side by side, before the bulk phases leave gigabytes of dirty
    // page cache whose write-back slows every fsync.
    double[] perMessage;
    try (Progress p = Progress.timed("raw fsync per message", Duration.ofSeconds(2), done::get)) {
      perMessage = RawBaselines.fsyncPerMessage(raw, PAYLOAD, 2_000, done);
    }
    Files.delete(raw);
    double rawGroup1 = rawGroupCommit(raw, done);
    Files.delete(raw);
    double sync;
    try (Progress p = Progress.timed("sluice SYNC, 8 senders", SYNC_TIME, done::get)) {
      sync = syncSenders(base.resolve("sync"), 8, SYNC_TIME.toMillis(), done);
    }
    delete(base.resolve("sync"));
    double rawGroup2 = rawGroupCommit(raw, done);
    Files.delete(raw);
    double rawGroup = (rawGroup1 + rawGroup2) / 2;
    line("raw fsync per message (1 thread)", perMessage[0]);
    System.out.printf(Locale.ROOT, "  fsync latency: %.1f us%n", perMessage[1]);
    line("raw group commit (8 senders), before / after", rawGroup1);
    line("", rawGroup2);
    line("sluice SYNC, 8 senders", sync);
    System.out.printf(
        Locale.ROOT,
        "  = %.0f%% of raw group commit (mean; target >= 70%%), %.1fx fsync-per-message"
            + " (target >= 4x), fsync latency %.1f us%n",
        100 * sync / rawGroup,
        sync / perMessage[0],
        perMessage[1]);

    double rawAppend;
    try (Progress p = Progress.count("raw append, 1 MiB buffer", BATCHED, done::get)) {
      rawAppend = RawBaselines.append(raw, BATCHED, PAYLOAD, done);
    }
    double rawRead;
    try (Progress p = Progress.count("raw read, 1 MiB buffer", BATCHED, done::get)) {
      rawRead = RawBaselines.read(raw, done);
    }
    Files.delete(raw);
    double rawSingle;
    try (Progress p = Progress.count("raw one pwrite per message", SINGLE, done::get)) {
      rawSingle = RawBaselines.writePerMessage(raw, SINGLE, PAYLOAD, done);
    }
    Files.delete(raw);
    double single;
    try (Progress p = Progress.count("sluice OS append, 1 msg/call", SINGLE, done::get)) {
      single = appendSingle(base.resolve("single"), SINGLE, done);
    }
    delete(base.resolve("single"));
    double batched;
    try (Progress p = Progress.count("sluice OS append, batches of 100", BATCHED, done::get)) {
      batched = appendBatched(base.resolve("batched"), BATCHED, 100, done);
    }
    double read;
    try (Progress p = Progress.count("sluice sequential read via SPI", BATCHED, done::get)) {
      read = readAll(base.resolve("batched"), done);
    }
    delete(base.resolve("batched"));
    line("raw append, 1 MiB buffer", rawAppend);
    line("raw read, 1 MiB buffer", rawRead);
    line("raw one pwrite per message (ceiling of 1 msg/call)", rawSingle);
    line("sluice OS append, 1 msg/call (target >= 1,000,000)", single);
    line("sluice OS append, batches of 100 (target >= 3,000,000)", batched);
    line("sluice sequential read via SPI (target >= 5,000,000)", read);
    System.out.printf(
        Locale.ROOT,
        "  read = %.0f%% of raw read; batched append = %.0f%% of raw append;"
            + " 1 msg/call = %.0f%% of one pwrite per message%n",
        100 * read / rawRead,
        100 * batched / rawAppend,
        100 * single / rawSingle);

    Path chart =
        new BarChart(
                "Sluice file store beside its raw baselines",
                PAYLOAD + "-byte payloads, " + BarChart.conditions() + " (FileStorageBenchmark)")
            .add("SYNC, 8 senders", "msg/s", sync, "raw group commit (8 senders)", rawGroup)
            .add("OS, 1 message per call", "msg/s", single, "one pwrite per message", rawSingle)
            .add("OS, batches of 100", "msg/s", batched, "buffered append, 1 MiB", rawAppend)
            .add("sequential read through the SPI", "msg/s", read, "buffered read, 1 MiB", rawRead)
            .write(BarChart.outputDirectory().resolve("file-storage-benchmark.svg"));
    System.out.println("chart: " + chart.toAbsolutePath());
  }

  private static double rawGroupCommit(Path raw, AtomicLong done) throws Exception {
    try (Progress p = Progress.timed("raw group commit, 8 senders", SYNC_TIME, done::get)) {
      return RawBaselines.groupCommit(raw, 8, PAYLOAD, SYNC_TIME.toMillis(), done);
    }
  }

  private static void warmUp(Path dir, AtomicLong steps) throws Exception {
    AtomicLong ignored = new AtomicLong();
    appendSingle(dir.resolve("a"), 300_000, ignored);
    steps.set(1);
    appendBatched(dir.resolve("b"), 500_000, 100, ignored);
    steps.set(2);
    readAll(dir.resolve("b"), ignored);
    steps.set(3);
    syncSenders(dir.resolve("c"), 8, 500, ignored);
    steps.set(4);
    delete(dir);
  }

  private static FileStorage store(Path dir, Durability durability) {
    return FileStorage.open(FileStorageConfig.builder(dir).durability(durability).build());
  }

  private static double appendSingle(Path dir, int count, AtomicLong done) {
    try (FileStorage s = store(dir, Durability.OS)) {
      s.createTopic("bench", TopicConfig.defaults());
      byte[] payload = new byte[PAYLOAD];
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        s.append("bench", List.of(OutgoingMessage.toPartition(Message.of(payload), 0)));
        done.lazySet(i + 1);
      }
      return count / RawBaselines.seconds(t0);
    }
  }

  private static double appendBatched(Path dir, int count, int size, AtomicLong done) {
    try (FileStorage s = store(dir, Durability.OS)) {
      s.createTopic("bench", TopicConfig.defaults());
      byte[] payload = new byte[PAYLOAD];
      List<OutgoingMessage> batch = new ArrayList<>(size);
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i += size) {
        batch.clear();
        for (int j = 0; j < size; j++) {
          batch.add(OutgoingMessage.toPartition(Message.of(payload), 0));
        }
        s.append("bench", batch);
        done.lazySet(i + size);
      }
      return count / RawBaselines.seconds(t0);
    }
  }

  private static double readAll(Path dir, AtomicLong done) {
    try (FileStorage s = store(dir, Durability.OS)) {
      return readAll(s, done);
    }
  }

  /** Reads partition 0 of topic {@code bench} whole through the SPI, 1,000 per call; msg/s. */
  static double readAll(FileStorage s) {
    return readAll(s, new AtomicLong());
  }

  private static double readAll(FileStorage s, AtomicLong done) {
    long end = s.describeTopic("bench").partitions().get(0).endOffset();
    long t0 = System.nanoTime();
    long offset = 0;
    long bytes = 0;
    while (offset < end) {
      List<StoredMessage> got = s.read("bench", 0, offset, 1000);
      offset += got.size();
      done.lazySet(offset);
      bytes += got.get(got.size() - 1).message().payload().length;
    }
    double rate = end / RawBaselines.seconds(t0);
    return bytes > 0 ? rate : 0;
  }

  private static double syncSenders(Path dir, int senders, long millis, AtomicLong done)
      throws Exception {
    try (FileStorage s = store(dir, Durability.SYNC)) {
      s.createTopic("bench", TopicConfig.defaults());
      done.set(0);
      long t0 = System.nanoTime();
      long end = t0 + millis * 1_000_000;
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      byte[] payload = new byte[PAYLOAD];
                      while (System.nanoTime() < end) {
                        s.append(
                            "bench", List.of(OutgoingMessage.toPartition(Message.of(payload), 0)));
                        done.incrementAndGet();
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
      return done.get() / RawBaselines.seconds(t0);
    }
  }

  private static void line(String what, double perSecond) {
    System.out.printf(Locale.ROOT, "%-58s %,14.0f msg/s%n", what, perSecond);
  }

  /** Deletes {@code dir} and everything under it (the benchmarks' data); absent is fine. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
