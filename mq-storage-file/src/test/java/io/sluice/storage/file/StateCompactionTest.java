package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.error.StorageFailedException;
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

  /**
   * Acks every other lease, then the rest: two journal records of several ranges each, so the
   * journal (which records ranges, not messages) fills in a few hundred acks.
   */
  private static void ackOddThenEven(FileStorage s, List<Lease> leases) {
    for (int parity = 1; parity >= 0; parity--) {
      List<Ack> acks = new java.util.ArrayList<>();
      for (int i = parity; i < leases.size(); i += 2) {
        acks.add(Ack.of(leases.get(i).id()));
      }
      s.ack("g", acks);
    }
  }

  @Test
  void aFullJournalIsCompactedWithoutLosingProgress() throws IOException {
    try (FileStorage s = StoreFixture.withTopic(open(config(dir, clock).stateJournalBytes(4096)))) {
      long before = newestSnapshot();
      batch(s, 0, 600);
      for (int i = 0; i < 60; i++) {
        List<Lease> leases = s.claim(ClaimRequest.of("g", TOPIC, 10, Duration.ofMinutes(1)));
        ackOddThenEven(s, leases);
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

  /**
   * Issue 10.4: compaction closed the journal while the group committer was forcing it, and the
   * committer's {@code ClosedChannelException} failed a healthy store (seen after ~580 acks with a
   * 4 KiB journal and a slow force). The rotation forces the old journal itself, so that force has
   * nothing left to do.
   */
  @Test
  void compactionRacingASlowGroupCommitForceDoesNotFailTheStore() throws IOException {
    FaultyIo io = new FaultyIo();
    io.slowForceMillis = 20;
    io.slowForce =
        p ->
            p.getFileName().toString().startsWith("journal-")
                && Thread.currentThread().getName().equals("sluice-group-commit");
    long before;
    try (FileStorage s =
        StoreFixture.withTopic(open(config(dir, clock).stateJournalBytes(4096), io))) {
      before = newestSnapshot();
      batch(s, 0, 600);
      for (int i = 0; i < 60; i++) {
        List<Lease> leases = s.claim(ClaimRequest.of("g", TOPIC, 10, Duration.ofMinutes(1)));
        ackOddThenEven(s, leases);
      }
      assertThat(s.health().healthy()).isTrue();
      assertThat(newestSnapshot()).as("compacted meanwhile").isGreaterThan(before);
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(600);
    }
  }

  /**
   * Issue 10.4: a failed force of the old journal during compaction (under {@code OS} the only
   * force its records get) fails the store like any other failed force; it used to be logged only.
   */
  @Test
  void aFailedForceWhileCompactingFailsTheStore() {
    FaultyIo io = new FaultyIo();
    FileStorageConfig.Builder os =
        config(dir, clock).durability(Durability.OS).stateJournalBytes(4096);
    try (FileStorage s = StoreFixture.withTopic(open(os, io))) {
      batch(s, 0, 2000);
      io.failForce = p -> p.getFileName().toString().startsWith("journal-");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try {
                  List<Lease> l = s.claim(ClaimRequest.of("g", TOPIC, 10, Duration.ofMinutes(1)));
                  s.ack("g", l.stream().map(x -> Ack.of(x.id())).toList());
                } catch (StorageFailedException expected) {
                  // the store failed under us
                }
                return !s.health().healthy();
              });
      assertThatThrownBy(() -> batch(s, 0, 1)).isInstanceOf(StorageFailedException.class);
    }
  }
}
