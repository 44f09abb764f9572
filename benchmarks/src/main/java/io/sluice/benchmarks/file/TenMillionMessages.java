package io.sluice.benchmarks.file;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks that memory does not grow with the number of stored messages: {@code write <dir>} stores
 * 10 million 256-byte messages; {@code open <dir>} (run it with a small heap, e.g. {@code -Xmx64m})
 * opens the store, reads at the start, middle and end, scans everything sequentially and claims a
 * batch, printing times and heap use.
 */
public final class TenMillionMessages {
  private static final int COUNT = 10_000_000;

  private TenMillionMessages() {}

  /** {@code write <dir>} or {@code open <dir>}. */
  public static void main(String[] args) {
    Path dir = Path.of(args[1]);
    FileStorageConfig config = FileStorageConfig.builder(dir).durability(Durability.OS).build();
    if (args[0].equals("write")) {
      try (FileStorage s = FileStorage.open(config)) {
        s.createTopic("big", TopicConfig.defaults());
        byte[] payload = new byte[256];
        List<OutgoingMessage> batch = new ArrayList<>(1000);
        for (int i = 0; i < COUNT; i += 1000) {
          batch.clear();
          for (int j = 0; j < 1000; j++) {
            batch.add(OutgoingMessage.toPartition(Message.of(payload), 0));
          }
          s.append("big", batch);
        }
      }
      return;
    }
    long t0 = System.nanoTime();
    try (FileStorage s = FileStorage.open(config)) {
      double openMs = (System.nanoTime() - t0) / 1e6;
      long end = s.describeTopic("big").partitions().get(0).endOffset();
      for (long at : new long[] {0, end / 2, end - 1}) {
        StoredMessage m = s.read("big", 0, at, 1).get(0);
        if (m.offset() != at) {
          throw new IllegalStateException("read " + at + " returned " + m.offset());
        }
      }
      long t1 = System.nanoTime();
      long offset = 0;
      while (offset < end) {
        offset += s.read("big", 0, offset, 1000).size();
      }
      double scan = (System.nanoTime() - t1) / 1e9;
      int claimed = s.claim(ClaimRequest.of("g", "big", 1000, Duration.ofMinutes(1))).size();
      Runtime rt = Runtime.getRuntime();
      System.out.printf(
          Locale.ROOT,
          "%,d messages; open %.0f ms; sequential scan %.1f s (%,.0f msg/s); claimed %d;"
              + " max heap %d MiB, used %d MiB%n",
          end,
          openMs,
          scan,
          end / scan,
          claimed,
          rt.maxMemory() >> 20,
          (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
  }
}
