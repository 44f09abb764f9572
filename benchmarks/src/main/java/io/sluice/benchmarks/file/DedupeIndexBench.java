package io.sluice.benchmarks.file;

import io.sluice.storage.file.internal.dedupe.DedupeEntry;
import io.sluice.storage.file.internal.dedupe.DedupeIndex;
import io.sluice.storage.file.internal.dedupe.DedupeSpace;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The dedupe index at 10 million keys (issue 11 item 2; not a test, run by hand): inserts {@code
 * keys} UUID-shaped idempotency keys into one index with a 24 h window, their accept times spread
 * evenly over the window (so all 16 buckets fill), advancing the checkpoint every 1,000 keys and
 * checkpointing every million as a store would; then looks up a million existing keys and a million
 * absent ones; reports disk bytes and the heap used after a full GC with the index open; closes,
 * and times a reopen (meta file and bucket headers) up to the first answered lookup. Targets: heap
 * at most 64 MiB, reopen at most 1 s.
 *
 * <p>{@code java -Xmx64m -cp benchmarks/target/benchmarks.jar
 * io.sluice.benchmarks.file.DedupeIndexBench <empty dir> [keys]}
 */
public final class DedupeIndexBench {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofHours(24);
  private static final int LOOKUPS = 1_000_000;

  private DedupeIndexBench() {}

  /** {@code <empty dir> [keys, default 10,000,000]}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000_000;
    long step = WINDOW.toMillis() / keys; // accept times spread over the window
    long[] now = {T0.toEpochMilli()};
    InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
    long heapBefore = heapAfterGc();

    DedupeSpace space = new DedupeSpace(DedupeSpace.Settings.DEFAULTS, clock, FileIo.DEFAULT);
    DedupeIndex index = space.open(dir, WINDOW);
    long t0 = System.nanoTime();
    for (int i = 0; i < keys; i++) {
      now[0] = T0.toEpochMilli() + i * Math.max(1, step);
      index.putIfAbsent(key(i), new DedupeEntry(i & 7, i >>> 3, now[0], now[0]));
      if (i % 1_000 == 999) {
        for (int p = 0; p < 8; p++) {
          index.advance(p, i >>> 3);
        }
      }
      if (i % 1_000_000 == 999_999) {
        index.checkpoint();
      }
    }
    index.checkpoint();
    double insertS = (System.nanoTime() - t0) / 1e9;

    SplittableRandom random = new SplittableRandom(42);
    long t1 = System.nanoTime();
    int hits = 0;
    for (int i = 0; i < LOOKUPS; i++) {
      hits += index.find(key(random.nextInt(keys))) != null ? 1 : 0;
    }
    double hitS = (System.nanoTime() - t1) / 1e9;
    long t2 = System.nanoTime();
    int misses = 0;
    for (int i = 0; i < LOOKUPS; i++) {
      misses += index.find(key(keys + random.nextInt(keys))) == null ? 1 : 0;
    }
    double missS = (System.nanoTime() - t2) / 1e9;
    long heapOpen = heapAfterGc();
    long disk = diskBytes(dir);
    long mapped = space.mappedBytes();
    index.close();

    long t3 = System.nanoTime();
    DedupeSpace again = new DedupeSpace(DedupeSpace.Settings.DEFAULTS, clock, FileIo.DEFAULT);
    DedupeIndex reopened = again.open(dir, WINDOW);
    long checkpoint = reopened.checkpointOffset(7);
    double openMs = (System.nanoTime() - t3) / 1e6;
    DedupeEntry last = reopened.find(key(keys - 1));
    double firstLookupMs = (System.nanoTime() - t3) / 1e6;
    reopened.close();
    if (hits != LOOKUPS || misses != LOOKUPS || last == null || checkpoint < 0) {
      throw new IllegalStateException(
          "wrong answers: " + hits + " hits, " + misses + " misses, last " + last);
    }
    System.out.printf(
        Locale.ROOT,
        "%,d keys: insert %.1f s (%,.0f keys/s); lookups %,.0f hits/s, %,.0f misses/s;"
            + " disk %,d bytes (%.0f B/key), mapped %,d bytes; heap after full GC %.1f MiB"
            + " (%.1f MiB before the index, index heapBytes %,d B); reopen %.1f ms,"
            + " to first answer %.1f ms%n",
        keys,
        insertS,
        keys / insertS,
        LOOKUPS / hitS,
        LOOKUPS / missS,
        disk,
        (double) disk / keys,
        mapped,
        heapOpen / 1048576.0,
        heapBefore / 1048576.0,
        index.heapBytes(),
        openMs,
        firstLookupMs);
  }

  /** A UUID-shaped key (36 characters), distinct for each {@code i}. */
  private static String key(int i) {
    return new UUID(0x5EED_0000_0000_0000L | i, i * 0x9E3779B97F4A7C15L).toString();
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long diskBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path f : files.toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }
}
