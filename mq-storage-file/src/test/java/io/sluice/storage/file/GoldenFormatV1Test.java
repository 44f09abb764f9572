package io.sluice.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.SluiceException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by format version 1 ({@code src/test/resources/format/v1/store}) must still open
 * and read back exactly, index files missing and group state still in the journal (it was written
 * by {@link #write} ending in a simulated crash). Generate a new one only for a new format version,
 * with {@link #main}.
 */
class GoldenFormatV1Test {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path tmp;

  static List<Message> messages() {
    return List.of(
        Message.of("plain"),
        Message.of(new byte[0]),
        Message.builder("keyed").key("customer-7").build(),
        Message.builder("headers")
            .header("content-type", "text/plain")
            .header("emoji", "\uD83D\uDE00")
            .header("content-type", "again")
            .build(),
        Message.builder("idempotent").idempotencyKey("order-42/paid").build(),
        Message.builder("later").deliverAt(T0.plusSeconds(3600)).build(),
        Message.builder("stamped").timestamp(T0.minusSeconds(5).plusNanos(123456789)).build(),
        Message.builder("").key("").build());
  }

  /** Writes the golden store into {@code args[0]} (only for a new format version). */
  public static void main(String[] args) {
    write(Path.of(args[0]));
  }

  static void write(Path dir) {
    SettableClock clock = new SettableClock(T0);
    FileStorage s = FileStorage.open(FileStorageConfig.builder(dir).clock(clock).build());
    {
      s.createTopic("golden", TopicConfig.partitions(2).withDedupeWindow(Duration.ofDays(3650)));
      s.append("golden", messages().stream().map(m -> OutgoingMessage.toPartition(m, 0)).toList());
      s.append("golden", List.of(OutgoingMessage.toPartition(Message.of("p1"), 1)));
      var leases = s.claim(ClaimRequest.of("g", "golden", 2, Duration.ofMinutes(1)));
      s.ack("g", List.of(new Ack(leases.get(0).id(), "done-0"), Ack.of(leases.get(1).id())));
      s.seek("h", "golden", 1, Position.offset(1));
      s.abandon(); // leave the group state in the journal, as after a crash
    }
  }

  @Test
  void formatV1StoreStillOpensAndReadsBackExactly() throws IOException, URISyntaxException {
    Path golden = Path.of(getClass().getResource("/format/v1/store").toURI());
    Path dir = tmp.resolve("store");
    StoreFixture.copy(golden, dir);
    assertOpensAsWritten(dir);
    assertThat(Files.exists(golden.resolve("topics/golden/0/00000000000000000000.log"))).isTrue();
  }

  /**
   * Issue 11.5: opening a version 1 state migrates it: its records are replayed, a version 2
   * snapshot is written and made durable (the dedupe indexes checkpointed first), and only then are
   * the version 1 files deleted. A crash before the new snapshot is in place (here: its rename
   * fails) leaves the version 1 files untouched, and the next open migrates again.
   */
  @Test
  void aVersion1StateIsMigratedAndKeptUntilTheVersion2SnapshotIsDurable()
      throws IOException, URISyntaxException {
    Path golden = Path.of(getClass().getResource("/format/v1/store").toURI());
    Path dir = tmp.resolve("store");
    StoreFixture.copy(golden, dir);
    Path state = dir.resolve("state");
    Map<String, byte[]> v1 = new TreeMap<>();
    try (Stream<Path> files = Files.list(state)) {
      for (Path p : files.toList()) {
        v1.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    FaultyIo failing = new FaultyIo();
    failing.failMove = p -> p.getFileName().toString().startsWith("snapshot-");
    FileStorageConfig config =
        FileStorageConfig.builder(dir).clock(new SettableClock(T0.plusSeconds(60))).build();
    assertThatThrownBy(() -> FileStorage.open(config, failing)).isInstanceOf(SluiceException.class);
    for (Map.Entry<String, byte[]> e : v1.entrySet()) {
      assertThat(state.resolve(e.getKey())).as(e.getKey()).hasBinaryContent(e.getValue());
    }
    assertOpensAsWritten(dir);
    try (Stream<Path> files = Files.list(state)) {
      for (Path p : files.toList()) {
        assertThat(v1).as("no version 1 file left").doesNotContainKey(p.getFileName().toString());
        byte[] bytes = Files.readAllBytes(p);
        if (bytes.length > 0) {
          assertThat(bytes[0]).as("%s starts with the version 2 magic", p).isEqualTo((byte) 0x82);
        }
      }
    }
    try (FileStorage s = FileStorage.open(config)) {
      assertThat(s.isProcessed("g", "golden", "done-0")).isTrue();
      assertThat(s.groupState("h", "golden").get(1).committedOffset()).isEqualTo(1);
    }
  }

  /** Opens the golden store copied to {@code dir} and checks what {@link #write} left in it. */
  private static void assertOpensAsWritten(Path dir) {
    SettableClock clock = new SettableClock(T0.plusSeconds(60));
    try (FileStorage s = FileStorage.open(FileStorageConfig.builder(dir).clock(clock).build())) {
      List<StoredMessage> p0 = s.read("golden", 0, 0, 100);
      List<Message> expected = messages();
      assertThat(p0).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        Message e = expected.get(i);
        Message stored = p0.get(i).message();
        assertThat(stored).isEqualTo(e.timestamp() == null ? e.withTimestamp(T0) : e);
      }
      assertThat(s.read("golden", 1, 0, 10).get(0).message().payloadAsString()).isEqualTo("p1");
      // The claim of 2 took one message from each partition (fair share), both acked.
      assertThat(s.groupState("g", "golden").get(0).committedOffset()).isEqualTo(1);
      assertThat(s.groupState("g", "golden").get(1).committedOffset()).isEqualTo(1);
      assertThat(s.groupState("h", "golden").get(1).committedOffset()).isEqualTo(1);
      assertThat(s.isProcessed("g", "golden", "done-0")).isTrue();
      var dup =
          s.append(
              "golden",
              List.of(
                  OutgoingMessage.of(
                      Message.builder("again").idempotencyKey("order-42/paid").build())));
      assertThat(dup.get(0).duplicate()).isTrue();
      assertThat(dup.get(0).offset()).isEqualTo(4);
    }
  }
}
