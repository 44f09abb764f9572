package io.sluice.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.UnsupportedCapabilityException;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.Storage;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store opened read-only beside the process that holds it: it sees what the holder wrote, takes
 * no lock, changes no byte, refuses writes, and its scan tells a torn tail from corruption.
 */
class ReadOnlyFileStorageTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  private static List<OutgoingMessage> messages(int partition, int count) {
    List<OutgoingMessage> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(OutgoingMessage.toPartition(Message.of("p" + partition + "-" + i), partition));
    }
    return out;
  }

  /** Every file of the store with its size and content hash. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        out.put(
            dir.relativize(p).toString(),
            Files.size(p)
                + ":"
                + Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).hashCode());
      }
    }
    return out;
  }

  @Test
  void seesWhatTheHolderWroteWithoutLockingOrWriting() throws IOException {
    try (FileStorage live = FileStorage.open(FileStorageConfig.builder(dir).clock(clock).build())) {
      live.createTopic("orders", TopicConfig.partitions(2));
      live.append("orders", messages(0, 5));
      live.append("orders", messages(1, 3));
      List<Lease> leases =
          live.claim(ClaimRequest.of("billing", "orders", 3, Duration.ofMinutes(1)));
      // ack out of order: one of partition 0's first messages stays in flight
      for (Lease l : leases.subList(1, leases.size())) {
        live.ack(AckRequest.of("billing", Ack.of(l.id())));
      }
      live.pause(new PauseRequest("shipping", "orders", true));

      Map<String, String> before = snapshot();
      try (Storage ro = FileStorage.openReadOnly(dir, clock)) {
        assertThat(ro.listTopics()).isEqualTo(live.listTopics());
        assertThat(ro.describeTopic("orders")).isEqualTo(live.describeTopic("orders"));
        assertThat(ro.read("orders", 0, 1, 10)).isEqualTo(live.read("orders", 0, 1, 10));
        assertThat(ro.listGroups("orders")).isEqualTo(live.listGroups("orders"));
        assertThat(ro.groupState("billing", "orders"))
            .extracting(g -> List.of(g.committedOffset(), g.endOffset(), g.lag()))
            .isEqualTo(
                live.groupState("billing", "orders").stream()
                    .map(g -> List.of(g.committedOffset(), g.endOffset(), g.lag()))
                    .toList());
        assertThat(ro.isPaused("shipping", "orders")).isTrue();
        assertThat(ro.isPaused("billing", "orders")).isFalse();
        assertThat(ro.offsetFor("orders", 0, Position.LATEST)).isEqualTo(5);
        assertThat(ro.offsetFor("orders", 1, Position.timestamp(clock.instant())))
            .isEqualTo(live.offsetFor("orders", 1, Position.timestamp(clock.instant())));

        assertThatThrownBy(() -> ro.append("orders", messages(0, 1)))
            .isInstanceOf(UnsupportedCapabilityException.class)
            .hasMessageContaining("open read-only");
        assertThatThrownBy(() -> ro.seek("billing", "orders", 0, Position.EARLIEST))
            .isInstanceOf(UnsupportedCapabilityException.class);
        assertThatThrownBy(() -> ro.pause(new PauseRequest("billing", null, true)))
            .isInstanceOf(UnsupportedCapabilityException.class);
        assertThatThrownBy(() -> ro.createTopic("x", TopicConfig.defaults()))
            .isInstanceOf(UnsupportedCapabilityException.class);
        FileStoreScan.Report report =
            FileStoreScan.scan(dir, null, -1, new FileStoreScan.Listener() {});
        assertThat(report.corrupt()).isFalse();
        assertThat(report.messages()).isEqualTo(8);
        assertThat(snapshot()).as("nothing written by the read-only view").isEqualTo(before);

        // It follows the live store.
        live.append("orders", messages(0, 2));
        assertThat(ro.describeTopic("orders").partitions().get(0).endOffset()).isEqualTo(7);
        assertThat(ro.read("orders", 0, 5, 10))
            .extracting(StoredMessage::offset)
            .containsExactly(5L, 6L);
      }
    }
  }

  @Test
  void aTornTailIsNotCorruptionAndABitFlipIsNamed() throws IOException {
    Path segment;
    try (FileStorage live = FileStorage.open(FileStorageConfig.builder(dir).clock(clock).build())) {
      live.createTopic("orders", TopicConfig.partitions(1));
      live.append("orders", messages(0, 3));
      live.append("orders", messages(0, 3));
      segment = dir.resolve("topics/orders/0").resolve(String.format("%020d.log", 0));
    }
    long size = Files.size(segment);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 99, 7, 7}), size);
    }
    byte[] torn = Files.readAllBytes(segment);
    FileStoreScan.Report report =
        FileStoreScan.scan(dir, null, -1, new FileStoreScan.Listener() {});
    assertThat(report.corrupt()).isFalse();
    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(FileStoreScan.ProblemKind.TORN_TAIL);
              assertThat(p.file()).isEqualTo(segment);
              assertThat(p.position()).isEqualTo(size);
            });
    try (Storage ro = FileStorage.openReadOnly(dir, clock)) {
      assertThat(ro.describeTopic("orders").partitions().get(0).endOffset()).isEqualTo(6);
    }
    assertThat(Files.readAllBytes(segment)).as("the torn tail is left alone").isEqualTo(torn);

    // Flip a bit in the first batch's payload: corruption before valid data.
    byte[] bytes = Files.readAllBytes(segment);
    bytes[40] ^= 0x10;
    Files.write(segment, bytes);
    report = FileStoreScan.scan(dir, null, -1, new FileStoreScan.Listener() {});
    assertThat(report.corrupt()).isTrue();
    assertThat(report.problems())
        .anySatisfy(
            p -> {
              assertThat(p.kind()).isEqualTo(FileStoreScan.ProblemKind.CORRUPT);
              assertThat(p.file()).isEqualTo(segment);
              assertThat(p.position()).isZero();
            });
    assertThat(Files.readAllBytes(segment)).isEqualTo(bytes);
  }
}
