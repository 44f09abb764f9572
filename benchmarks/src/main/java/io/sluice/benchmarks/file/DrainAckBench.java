package io.sluice.benchmarks.file;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The consumer's store-side hot path (issue 11 item 4), beside the raw read measured in the same
 * run: {@code messages} 256-byte messages in one partition under {@code OS}, then
 *
 * <ul>
 *   <li>raw read: length-prefixed records read back through a 1 MiB buffer ({@link RawBaselines});
 *   <li>SPI read: {@code read(…, 1000)} from start to end;
 *   <li>drain + per-message ack: one group claims 500 at a time and acks each lease with its own
 *       {@code ack} call (what a consumer without ack batching does);
 *   <li>drain + batch ack: another group, one {@code ack} call per claim.
 * </ul>
 *
 * Each figure is the best of {@code rounds} (a new group per round). Not a test.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.file.DrainAckBench \
 *     [dir] [messages, default 2,000,000] [rounds, default 3]
 * </pre>
 */
public final class DrainAckBench {
  private static final int PAYLOAD = 256;
  private static final int CLAIM = 500;

  private DrainAckBench() {}

  /** Runs every figure and prints one line each. */
  public static void main(String[] args) throws Exception {
    Path base = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path dir = Files.createTempDirectory(base, "sluice-drain");
    try {
      Path raw = dir.resolve("raw.bin");
      RawBaselines.append(raw, count, PAYLOAD);
      double rawRead = 0;
      for (int r = 0; r < rounds; r++) {
        rawRead = Math.max(rawRead, RawBaselines.read(raw));
      }
      Files.delete(raw);
      FileStorageConfig config =
          FileStorageConfig.builder(dir.resolve("store")).durability(Durability.OS).build();
      try (FileStorage s = FileStorage.open(config)) {
        fill(s, count);
        double read = 0;
        double perMessage = 0;
        double batched = 0;
        for (int r = 0; r < rounds; r++) {
          read = Math.max(read, read(s, count));
          perMessage = Math.max(perMessage, drain(s, "per-message-" + r, false, count));
          batched = Math.max(batched, drain(s, "batched-" + r, true, count));
        }
        print("raw read, 1 MiB buffer", rawRead, rawRead);
        print("SPI read, 1000 per call", read, rawRead);
        print("SPI claim 500 + ack per message", perMessage, rawRead);
        print("SPI claim 500 + one ack per claim", batched, rawRead);
      }
    } finally {
      FileStorageBenchmark.delete(dir);
    }
  }

  private static void print(String what, double rate, double raw) {
    System.out.printf(
        Locale.ROOT, "%-36s %,14.0f msg/s  %5.1f %% of raw read%n", what, rate, 100 * rate / raw);
  }

  private static void fill(FileStorage s, int count) {
    s.createTopic("d", TopicConfig.partitions(1));
    List<OutgoingMessage> batch = new ArrayList<>(1000);
    for (int i = 0; i < count; i += 1000) {
      batch.clear();
      for (int j = 0; j < Math.min(1000, count - i); j++) {
        batch.add(OutgoingMessage.toPartition(Message.of(new byte[PAYLOAD]), 0));
      }
      s.append("d", batch);
    }
  }

  private static double read(FileStorage s, int count) {
    long t0 = System.nanoTime();
    long offset = 0;
    while (offset < count) {
      offset += s.read("d", 0, offset, 1000).size();
    }
    return count / RawBaselines.seconds(t0);
  }

  private static double drain(FileStorage s, String group, boolean batched, int count) {
    ClaimRequest request = ClaimRequest.of(group, "d", CLAIM, Duration.ofMinutes(5));
    long t0 = System.nanoTime();
    long n = 0;
    while (true) {
      List<Lease> leases = s.claim(request);
      if (leases.isEmpty()) {
        break;
      }
      n += leases.size();
      if (batched) {
        List<Ack> acks = new ArrayList<>(leases.size());
        for (Lease l : leases) {
          acks.add(Ack.of(l.id()));
        }
        s.ack(new AckRequest(group, acks));
      } else {
        for (Lease l : leases) {
          s.ack(AckRequest.of(group, Ack.of(l.id())));
        }
      }
    }
    if (n != count) {
      throw new IllegalStateException(group + " drained " + n + " of " + count);
    }
    return n / RawBaselines.seconds(t0);
  }
}
