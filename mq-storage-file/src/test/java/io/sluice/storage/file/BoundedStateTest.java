package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F22 and issue 11.1: group state is O(special messages + runs), not O(messages since the oldest
 * undone one), in memory and on disk; and no state file is ever read whole (issue 11.2).
 */
class BoundedStateTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final int MESSAGES = 100_000;

  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  private FileStorageConfig.Builder os() {
    return config(dir, clock).durability(Durability.OS).stateJournalBytes(64 << 10);
  }

  private static void fill(FileStorage s, int from, int to) {
    List<OutgoingMessage> batch = new ArrayList<>();
    for (int i = from; i < to; i++) {
      batch.add(OutgoingMessage.toPartition(Message.of("m" + i), 0));
      if (batch.size() == 1000 || i == to - 1) {
        s.append(TOPIC, batch);
        batch = new ArrayList<>();
      }
    }
  }

  /** Bytes of every file in {@code <store>/state}. */
  private long stateBytes() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      long n = 0;
      for (Path p : files.toList()) {
        n += Files.size(p);
      }
      return n;
    }
  }

  private GroupPartition state(FileStorage s) {
    return s.groupState("g", TOPIC).get(0);
  }

  @Test
  void oneMessageDelayedADayThenAHundredThousandAckedKeepsTheStateSmall() throws IOException {
    try (FileStorage s = open(os())) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      Message later =
          Message.builder("later").deliverAt(clock.instant().plus(Duration.ofDays(1))).build();
      s.append(TOPIC, List.of(OutgoingMessage.toPartition(later, 0)));
      fill(s, 1, MESSAGES + 1);
      int acked = 0;
      List<Lease> leases;
      while (!(leases = s.claim(ClaimRequest.of("g", TOPIC, 500, LEASE))).isEmpty()) {
        for (Lease l : leases) {
          assertThat(s.ack(AckRequest.of("g", Ack.of(l.id()))).applied()).isEqualTo(1);
          acked++;
        }
      }
      assertThat(acked).isEqualTo(MESSAGES);
      assertThat(state(s).committedOffset()).as("held by the delayed message").isZero();
      assertThat(state(s).lag()).isEqualTo(1);
      assertThat(s.stateSize("g", TOPIC))
          .as("entries, runs, done ranges, held-back runs")
          .containsExactly(1, 0, 1, 0);
    }
    assertThat(stateBytes()).as("snapshot and journal after a clean close").isLessThan(1024);
    try (FileStorage s = open(os())) {
      assertThat(state(s).committedOffset()).isZero();
      assertThat(state(s).lag()).isEqualTo(1);
      assertThat(s.claim(ClaimRequest.of("g", TOPIC, 500, LEASE))).isEmpty();
      assertThat(s.stateSize("g", TOPIC)).containsExactly(1, 0, 1, 0);
      clock.advance(Duration.ofDays(1));
      Lease l = s.claim(ClaimRequest.of("g", TOPIC, 500, LEASE)).get(0);
      assertThat(l.message().message().payloadAsString()).isEqualTo("later");
      s.ack("g", List.of(Ack.of(l.id())));
      assertThat(state(s).committedOffset()).isEqualTo(MESSAGES + 1);
      assertThat(s.stateSize("g", TOPIC)).containsExactly(0, 0, 0, 0);
    }
  }

  /**
   * The 2 GiB snapshot case, scaled down: a snapshot larger than the largest read allowed opens,
   * read through the I/O seam in pieces (the store used to read every state file whole with {@code
   * Files.readAllBytes}, which a snapshot over 2 GiB cannot survive).
   */
  @Test
  void aSnapshotLargerThanOneReadOpensInPieces() throws IOException {
    int n = 20_000;
    try (FileStorage s = open(os())) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      fill(s, 0, n);
      List<Lease> all = new ArrayList<>();
      List<Lease> leases;
      while (!(leases = s.claim(ClaimRequest.of("g", TOPIC, 1000, LEASE))).isEmpty()) {
        all.addAll(leases);
      }
      List<Ack> everyOther = new ArrayList<>();
      for (int i = 1; i < all.size(); i += 2) {
        everyOther.add(Ack.of(all.get(i).id()));
      }
      s.ack("g", everyOther);
    }
    Path snapshot;
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      snapshot = files.filter(p -> p.toString().endsWith(".dat")).findFirst().orElseThrow();
    }
    int maxRead = 64 << 10;
    long size = Files.size(snapshot);
    assertThat(size).as("larger than one read").isGreaterThan(2L * maxRead);
    ReadCountingIo io = new ReadCountingIo();
    io.maxRead = maxRead;
    try (FileStorage s = open(os(), io)) {
      assertThat(io.read(snapshot)).as("read through the seam").isEqualTo(size);
      assertThat(io.largest(snapshot)).isLessThanOrEqualTo(maxRead);
      GroupPartition p = state(s);
      assertThat(p.committedOffset()).isZero();
      assertThat(p.lag()).isEqualTo(n / 2);
      assertThat(s.stateSize("g", TOPIC)).as("10,000 acked ranges").containsExactly(0, 0, n / 2, 0);
    }
  }
}
