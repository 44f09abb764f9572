package io.sluice.benchmarks.file;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Issue 11's state targets through the store (F22; not a test, run by hand, with a small heap):
 *
 * <ul>
 *   <li>{@code keys <empty dir> [n]}: {@code n} (default 10,000,000) sends with UUID-shaped
 *       idempotency keys, 1,000 per call; then the heap after a full GC with the store open, the
 *       bytes on disk, a close and a timed reopen up to the first duplicate answered. Targets: the
 *       dedupe index's heap at most 64 MiB, reopen at most 1 s.
 *   <li>{@code delayed <empty dir> [n]}: one message delayed by a day, then {@code n} messages
 *       appended, claimed (1,000 per claim) and acked (one call per claim); every million, the heap
 *       after a full GC and the bytes of the state files. Targets: state at most 1 MB, heap flat.
 * </ul>
 *
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.file.StateBench \
 *     keys /tmp/keys
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.file.StateBench \
 *     delayed /tmp/delayed 10000000 sync
 * </pre>
 */
public final class StateBench {
  private StateBench() {}

  /**
   * {@code keys|delayed <empty dir> [n] [os|sync]} (default {@code OS}; under {@code OS} the
   * journal's size includes its mapped window's unwritten, sparse tail of up to 1 MiB).
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[1]);
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000_000;
    boolean sync = args.length > 3 && args[3].equals("sync");
    FileStorageConfig config =
        FileStorageConfig.builder(dir).durability(sync ? Durability.SYNC : Durability.OS).build();
    if (args[0].equals("keys")) {
      keys(config, n);
    } else {
      delayed(config, n);
    }
  }

  private static String key(int i) {
    return new UUID(0x5EED_0000_0000_0000L | i, i * 0x9E3779B97F4A7C15L).toString();
  }

  private static void keys(FileStorageConfig config, int n) throws IOException {
    long heapBefore = heapAfterGc();
    long t0 = System.nanoTime();
    try (FileStorage s = FileStorage.open(config)) {
      s.createTopic("k", TopicConfig.partitions(4));
      byte[] payload = new byte[16];
      List<OutgoingMessage> batch = new ArrayList<>(1000);
      for (int i = 0; i < n; i++) {
        batch.add(OutgoingMessage.of(Message.builder(payload).idempotencyKey(key(i)).build()));
        if (batch.size() == 1000 || i == n - 1) {
          s.append("k", batch);
          batch = new ArrayList<>(1000);
        }
        if (i % 1_000_000 == 999_999) {
          System.out.printf(
              Locale.ROOT, "%,d keys sent, heap after GC %.1f MiB%n", i + 1, mib(heapAfterGc()));
        }
      }
      double sendS = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%,d keyed sends in %.1f s (%,.0f msg/s); heap after GC with the store open %.1f MiB"
              + " (%.1f MiB before opening)%n",
          n,
          sendS,
          n / sendS,
          mib(heapAfterGc()),
          mib(heapBefore));
    }
    System.out.printf(
        Locale.ROOT,
        "disk: dedupe %,d bytes, state %,d bytes%n",
        bytes(config.directory().resolve("dedupe")),
        bytes(config.directory().resolve("state")));
    long t1 = System.nanoTime();
    try (FileStorage s = FileStorage.open(config)) {
      double openMs = (System.nanoTime() - t1) / 1e6;
      List<Receipt> dup =
          s.append(
              "k",
              List.of(OutgoingMessage.of(Message.builder("x").idempotencyKey(key(n - 1)).build())));
      double firstMs = (System.nanoTime() - t1) / 1e6;
      if (!dup.get(0).duplicate()) {
        throw new IllegalStateException("the last key was not found after reopen");
      }
      System.out.printf(
          Locale.ROOT,
          "reopen %.0f ms, to the first duplicate answered %.0f ms; heap after GC %.1f MiB%n",
          openMs,
          firstMs,
          mib(heapAfterGc()));
    }
  }

  private static void delayed(FileStorageConfig config, int n) throws IOException {
    try (FileStorage s = FileStorage.open(config)) {
      s.createTopic("d", TopicConfig.partitions(1));
      Message later =
          Message.builder("later").deliverAt(Instant.now().plus(Duration.ofDays(1))).build();
      s.append("d", List.of(OutgoingMessage.toPartition(later, 0)));
      byte[] payload = new byte[64];
      long acked = 0;
      long t0 = System.nanoTime();
      ClaimRequest claim = ClaimRequest.of("g", "d", 1000, Duration.ofMinutes(5));
      while (acked < n) {
        List<OutgoingMessage> batch = new ArrayList<>(1000);
        for (int j = 0; j < 1000; j++) {
          batch.add(OutgoingMessage.toPartition(Message.of(payload), 0));
        }
        s.append("d", batch);
        List<Lease> leases = s.claim(claim);
        List<Ack> acks = new ArrayList<>(leases.size());
        for (Lease l : leases) {
          acks.add(Ack.of(l.id()));
        }
        s.ack(new AckRequest("g", acks));
        acked += leases.size();
        if (acked % 1_000_000 == 0) {
          var p = s.groupState("g", "d").get(0);
          System.out.printf(
              Locale.ROOT,
              "%,d acked (%.0f s): committed %d, lag %d, heap after GC %.1f MiB, state files %,d"
                  + " bytes%n",
              acked,
              (System.nanoTime() - t0) / 1e9,
              p.committedOffset(),
              p.lag(),
              mib(heapAfterGc()),
              bytes(config.directory().resolve("state")));
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "after close: state files %,d bytes%n",
        bytes(config.directory().resolve("state")));
    long t1 = System.nanoTime();
    try (FileStorage s = FileStorage.open(config)) {
      double openMs = (System.nanoTime() - t1) / 1e6;
      var p = s.groupState("g", "d").get(0);
      boolean none = s.claim(ClaimRequest.of("g", "d", 1000, Duration.ofMinutes(5))).isEmpty();
      System.out.printf(
          Locale.ROOT,
          "reopen %.0f ms: committed %d, lag %d, nothing claimable %b, heap after GC %.1f MiB%n",
          openMs,
          p.committedOffset(),
          p.lag(),
          none,
          mib(heapAfterGc()));
    }
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }
}
