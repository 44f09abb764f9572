package io.sluice.benchmarks.file;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
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
 * Claim and ack throughput of the file store through the SPI: 200,000 messages over 4 partitions
 * with 50 keys, drained by two groups per ordering with claims of 500 and one ack call per claim.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.file.ClaimThroughput [dir]
 * </pre>
 */
public final class ClaimThroughput {
  private ClaimThroughput() {}

  /** Runs the drain and prints one line per group. */
  public static void main(String[] args) throws Exception {
    Path base = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
    Path dir = Files.createTempDirectory(base, "sluice-claims");
    FileStorageConfig config = FileStorageConfig.builder(dir).durability(Durability.OS).build();
    try (FileStorage s = FileStorage.open(config)) {
      s.createTopic("b", TopicConfig.partitions(4));
      List<OutgoingMessage> batch = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        batch.add(OutgoingMessage.of(Message.builder(new byte[256]).key("k" + i % 50).build()));
      }
      for (int i = 0; i < 200; i++) {
        s.append("b", batch);
      }
      for (Ordering ordering : Ordering.values()) {
        for (int g = 0; g < 2; g++) {
          drain(s, "g-" + ordering + "-" + g, ordering);
        }
      }
    } finally {
      FileStorageBenchmark.delete(dir);
    }
  }

  private static void drain(FileStorage s, String group, Ordering ordering) {
    long t0 = System.nanoTime();
    long n = 0;
    while (true) {
      ClaimRequest request =
          ClaimRequest.of(group, "b", 500, Duration.ofMinutes(1)).withOrdering(ordering);
      List<Lease> leases = s.claim(request);
      if (leases.isEmpty()) {
        break;
      }
      n += leases.size();
      s.ack(group, leases.stream().map(l -> Ack.of(l.id())).toList());
    }
    System.out.printf(
        Locale.ROOT,
        "%-11s %-26s %,9d msgs  %,12.0f msg/s claim+ack%n",
        ordering,
        group,
        n,
        n / RawBaselines.seconds(t0));
  }
}
