package io.sluice.storage.file.internal.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.storage.file.internal.io.FileIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heap independent of the number of keys; mappings within the space's budget. */
class DedupeHeapTest {
  @TempDir Path tmp;

  @Test
  void retainedHeapDoesNotGrowWithTheKeys() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      long idle = RetainedHeap.of(index);
      for (int i = 0; i < 1_000; i++) {
        index.putIfAbsent("key-" + i, f.entry(i));
      }
      long thousand = RetainedHeap.of(index);
      for (int i = 1_000; i < 1_000_000; i++) {
        index.putIfAbsent("key-" + i, f.entry(i));
      }
      long million = RetainedHeap.of(index);
      assertThat(index.find("key-999999")).isEqualTo(f.entry(999_999));
      // Same structure (one bucket, one mapping) whatever the number of keys.
      assertThat(million).isEqualTo(thousand).isLessThan(8 * 1024);
      assertThat(idle).isLessThan(2 * 1024);
      assertThat(index.heapBytes()).isBetween(million / 4, million * 4);
    }
  }

  @Test
  void idleIndexesReleaseTheirMappingsWithinTheBudget() {
    DedupeFixture f = new DedupeFixture(tmp, new DedupeSpace.Settings(4, 16, 1L << 30, 16));
    List<DedupeIndex> indexes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      DedupeIndex index = f.space.open(tmp.resolve("i" + i), DedupeFixture.WINDOW);
      indexes.add(index);
      index.putIfAbsent("k", f.entry(i));
      assertThat(f.space.mappedFiles()).isLessThanOrEqualTo(16);
    }
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 40; i++) {
        assertThat(indexes.get(i).find("k")).isEqualTo(f.entry(i));
        assertThat(f.space.mappedFiles()).isLessThanOrEqualTo(16);
      }
    }
    indexes.forEach(DedupeIndex::close);
    assertThat(f.space.mappedFiles()).isZero();
    assertThat(f.space.mappedBytes()).isZero();
  }

  @Test
  void lookupsRunConcurrentlyWithAWriterThatGrowsTheTable() throws Exception {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 1_000; i++) {
        index.putIfAbsent("old-" + i, f.entry(i));
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 200_000; i++) {
                      index.putIfAbsent("new-" + i, f.entry(i));
                    }
                  });
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        while (writer.isAlive()) {
                          for (int i = 0; i < 1_000; i++) {
                            assertThat(index.find("old-" + i)).isEqualTo(f.entry(i));
                          }
                        }
                      } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                      }
                    }));
      }
      writer.join();
      for (Thread t : readers) {
        t.join();
      }
      assertThat(failure.get()).isNull();
      assertThat(index.find("new-199999")).isEqualTo(f.entry(199_999));
    }
  }

  @Test
  void aSpaceCanHoldThousandsOfIdleIndexesCheaply() {
    DedupeSpace space =
        new DedupeSpace(DedupeFixture.SMALL, java.time.Clock.systemUTC(), FileIo.DEFAULT);
    List<DedupeIndex> indexes = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      indexes.add(space.open(tmp.resolve("g" + i), DedupeFixture.WINDOW));
    }
    long total = 0;
    for (DedupeIndex i : indexes) {
      total += RetainedHeap.of(i);
    }
    // Over-estimated (a path, a lock, the clock and I/O seam at 256 bytes each): still < 2 KiB.
    assertThat(total / indexes.size()).isLessThan(2_048);
  }
}
