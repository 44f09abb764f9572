package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-state journal is compacted in the background once it passes its limit. */
class StateCompactionTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  private long newestSnapshot() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("snapshot-") && n.endsWith(".dat"))
          .mapToLong(n -> Long.parseLong(n.substring(9, 29)))
          .max()
          .orElse(-1);
    }
  }

  @Test
  void aFullJournalIsCompactedWithoutLosingProgress() throws IOException {
    try (FileStorage s = StoreFixture.withTopic(open(config(dir, clock).stateJournalBytes(4096)))) {
      long before = newestSnapshot();
      batch(s, 0, 600);
      for (int i = 0; i < 60; i++) {
        List<Lease> leases = s.claim(ClaimRequest.of("g", TOPIC, 10, Duration.ofMinutes(1)));
        s.ack("g", leases.stream().map(l -> Ack.of(l.id())).toList());
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> newestSnapshot() > before);
      assertThat(
              Files.size(
                  dir.resolve("state")
                      .resolve(String.format("journal-%020d.log", newestSnapshot()))))
          .isLessThan(64 * 1024);
      s.abandon();
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(600);
    }
  }
}
