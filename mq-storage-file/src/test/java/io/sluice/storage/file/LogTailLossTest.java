package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Receipt;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F21 (issue 10.2): under {@code OS} or {@code INTERVAL} a power loss can take the log's tail but
 * keep group state that went past it. On open the state is reconciled with the recovered log end,
 * so the group receives the messages sent after the reopen and its lag is true. Simulated by
 * cutting the log after a clean close and keeping the state.
 */
class LogTailLossTest {
  private static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  private FileStorageConfig.Builder os() {
    return config(dir, clock).durability(Durability.OS);
  }

  /** Sends m{0}..m{keep-1}, closes, notes the log size, then sends m{keep}..m{all-1}. */
  private long writeAndNoteSize(int keep) throws IOException {
    try (FileStorage s = StoreFixture.withTopic(open(os()))) {
      for (int i = 0; i < keep; i++) {
        batch(s, i, i + 1);
      }
    }
    return Files.size(StoreFixture.log(dir));
  }

  private void cutLog(long size) throws IOException {
    try (FileChannel ch = FileChannel.open(StoreFixture.log(dir), StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static List<Long> claimOffsets(FileStorage s) {
    return s.claim(ClaimRequest.of("g", TOPIC, 100, LEASE)).stream()
        .map(l -> l.id().offset())
        .toList();
  }

  @Test
  void aGroupCommittedPastTheLostTailReceivesTheMessagesSentAfterReopen() throws IOException {
    long fiveMessages = writeAndNoteSize(5);
    try (FileStorage s = open(os())) {
      for (int i = 5; i < 10; i++) {
        batch(s, i, i + 1);
      }
      List<Lease> all = s.claim(ClaimRequest.of("g", TOPIC, 10, LEASE));
      s.ack("g", all.stream().map(l -> Ack.of(l.id())).toList());
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(10);
    }
    cutLog(fiveMessages);
    try (FileStorage s = open(os())) {
      GroupPartition reconciled = s.groupState("g", TOPIC).get(0);
      assertThat(reconciled.committedOffset()).as("clamped to the log end").isEqualTo(5);
      assertThat(reconciled.lag()).isZero();
      assertThat(batch(s, 100, 103)).extracting(Receipt::offset).containsExactly(5L, 6L, 7L);
      assertThat(s.groupState("g", TOPIC).get(0).lag())
          .as("lag counts the new messages")
          .isEqualTo(3);
      assertThat(claimOffsets(s)).containsExactly(5L, 6L, 7L);
    }
  }

  @Test
  void perMessageStateBeyondTheLostTailIsDropped() throws IOException {
    long eightMessages = writeAndNoteSize(8);
    try (FileStorage s = open(os())) {
      batch(s, 8, 9);
      batch(s, 9, 10);
      List<Lease> all = s.claim(ClaimRequest.of("g", TOPIC, 10, LEASE));
      s.ack("g", all.stream().filter(l -> l.id().offset() != 6).map(l -> Ack.of(l.id())).toList());
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(6);
    }
    cutLog(eightMessages);
    try (FileStorage s = open(os())) {
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(6);
      assertThat(batch(s, 100, 103)).extracting(Receipt::offset).containsExactly(8L, 9L, 10L);
      assertThat(s.groupState("g", TOPIC).get(0).lag())
          .as("6 undone, 7 acked, 8 to 10 new")
          .isEqualTo(4);
      assertThat(claimOffsets(s)).containsExactly(6L, 8L, 9L, 10L);
    }
  }
}
