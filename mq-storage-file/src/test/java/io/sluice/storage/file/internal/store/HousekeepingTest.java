package io.sluice.storage.file.internal.store;

import static org.awaitility.Awaitility.await;

import io.sluice.spi.tck.ServiceStress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The file store's background loop follows the shared Service lifecycle and runs its tasks. */
class HousekeepingTest {
  @Test
  void followsTheServiceLifecycle() {
    ServiceStress.of(
            () ->
                new Housekeeping(
                    Duration.ofMillis(5), () -> {}, Duration.ofMillis(3), () -> {}, () -> {}))
        .run();
  }

  @Test
  void runsRetentionAndFlushOnTheirPeriodsAndCompactionWhenAsked() {
    AtomicInteger retention = new AtomicInteger();
    AtomicInteger flush = new AtomicInteger();
    AtomicInteger compaction = new AtomicInteger();
    try (Housekeeping h =
        new Housekeeping(
            Duration.ofMillis(20),
            retention::incrementAndGet,
            Duration.ofMillis(5),
            flush::incrementAndGet,
            compaction::incrementAndGet)) {
      h.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> retention.get() >= 2 && flush.get() >= 4);
      h.askCompaction();
      await().atMost(Duration.ofSeconds(10)).until(() -> compaction.get() >= 1);
    }
  }
}
