package io.sluice.benchmarks.file;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The file store's read path alone, for profiling: stores {@code count} messages of 256 bytes
 * (batches of 100, one partition, {@code OS}), then reads them all through the SPI ({@code read},
 * 1,000 per call) {@code rounds} times, and once as raw records for the ratio. Each round prints
 * its rate, in wall time and per CPU second of the reading thread (steadier on a shared machine);
 * the figures are the best round (the first ones warm the JIT up). Shape {@code plain}: payload
 * only; {@code keyed}: plus a 12-character key (1,000 distinct), a 36-character idempotency key and
 * two headers (a fixed content type and a per-message trace id): the strings a decoded message
 * carries, and checks.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.file.ReadPath \
 *     [dir] [count] [rounds] [plain|keyed]
 * </pre>
 */
public final class ReadPath {
  private static final int PAYLOAD = 256;

  private ReadPath() {}

  /** Runs the rounds and prints the rates. */
  public static void main(String[] args) throws Exception {
    Path parent =
        args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    boolean keyed = args.length > 3 && args[3].equals("keyed");
    Path base = Files.createTempDirectory(parent, "sluice-read");
    try {
      Path raw = base.resolve("raw.log");
      RawBaselines.append(raw, count, PAYLOAD);
      double rawRead = 0;
      for (int r = 0; r < 3; r++) {
        rawRead = Math.max(rawRead, RawBaselines.read(raw));
      }
      Files.delete(raw);
      Path dir = base.resolve("store");
      write(dir, count, keyed);
      double best = 0;
      double bestCpu = 0;
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      try (FileStorage s =
          FileStorage.open(FileStorageConfig.builder(dir).durability(Durability.OS).build())) {
        for (int r = 0; r < rounds; r++) {
          long cpu = threads.getCurrentThreadCpuTime();
          double rate = FileStorageBenchmark.readAll(s);
          double perCpu = count / ((threads.getCurrentThreadCpuTime() - cpu) / 1e9);
          best = Math.max(best, rate);
          bestCpu = Math.max(bestCpu, perCpu);
          System.out.printf(
              Locale.ROOT,
              "round %d: %,14.0f msg/s, %,14.0f msg per CPU second%n",
              r + 1,
              rate,
              perCpu);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%s: raw read %,.0f msg/s; sluice read via SPI, best round %,.0f msg/s = %.0f%% of raw;"
              + " %,.0f msg per CPU second of the reader%n",
          keyed ? "keyed" : "plain",
          rawRead,
          best,
          100 * best / rawRead,
          bestCpu);
    } finally {
      FileStorageBenchmark.delete(base);
    }
  }

  private static void write(Path dir, int count, boolean keyed) {
    try (FileStorage s =
        FileStorage.open(FileStorageConfig.builder(dir).durability(Durability.OS).build())) {
      s.createTopic("bench", TopicConfig.defaults());
      byte[] payload = new byte[PAYLOAD];
      List<OutgoingMessage> batch = new ArrayList<>(100);
      for (int i = 0; i < count; i += 100) {
        batch.clear();
        for (int j = 0; j < 100; j++) {
          batch.add(OutgoingMessage.toPartition(message(payload, keyed, i + j), 0));
        }
        s.append("bench", batch);
      }
    }
  }

  private static Message message(byte[] payload, boolean keyed, int i) {
    if (!keyed) {
      return Message.of(payload);
    }
    return Message.builder(payload)
        .key(String.format("customer-%03d", i % 1000))
        .idempotencyKey(String.format("order-%030d", i))
        .header("content-type", "application/json")
        .header("trace-id", String.format("4bf92f3577b34da6%016x", i))
        .build();
  }
}
