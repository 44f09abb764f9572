package io.sluice.storage.file.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bytes of the version 2 golden state files ({@code format/v2/store/state}, written by {@code
 * GoldenFormatV2Test.main}) decode to exactly these records, and encoding these records gives
 * exactly those bytes: every version 2 record type, in a snapshot and a journal.
 */
class StateCodecGoldenTest {
  private static final long SESSION_2 = Micros.of(Instant.parse("2026-06-01T00:00:30Z"));
  private static final long HOUR = 3_600_000_000L;

  private static Path state() throws URISyntaxException {
    return Path.of(StateCodecGoldenTest.class.getResource("/format/v2/store/state").toURI());
  }

  private static List<StateRecord> read(Path file) throws IOException {
    List<StateRecord> out = new ArrayList<>();
    FrameReader.Result r =
        FrameReader.read(FileIo.DEFAULT, file, false, false, (rec, p) -> out.add(rec));
    assertThat(r.sawV1()).isFalse();
    assertThat(r.end()).isEqualTo(Files.size(file));
    return out;
  }

  /** Records as text (arrays by content). */
  private static List<String> render(List<StateRecord> records) {
    return records.stream()
        .map(
            r ->
                switch (r) {
                  case StateRecord.Done d ->
                      "Done["
                          + d.group()
                          + ", "
                          + d.topic()
                          + ", "
                          + d.partition()
                          + ", "
                          + Arrays.toString(d.ranges())
                          + ", "
                          + d.keys()
                          + "]";
                  case StateRecord.Started s ->
                      "Started["
                          + s.group()
                          + ", "
                          + s.topic()
                          + ", "
                          + s.partition()
                          + ", "
                          + s.attempts()
                          + ", "
                          + s.firstDeliveredAt()
                          + ", "
                          + Arrays.toString(s.ranges())
                          + "]";
                  default -> r.toString();
                })
        .collect(Collectors.toList());
  }

  static List<StateRecord> snapshot() {
    return List.of(
        new StateRecord.Open(2),
        new StateRecord.Cursor("g", "golden", 0, 1),
        new StateRecord.Cursor("g", "golden", 1, 1),
        new StateRecord.Cursor("h", "golden", 1, 1));
  }

  static List<StateRecord> journal() {
    return List.of(
        new StateRecord.Cursor("k", "orders", 0, 0),
        new StateRecord.Started("k", "orders", 0, 1, SESSION_2, new long[] {0, 1}),
        new StateRecord.Entries(
            "k",
            "orders",
            0,
            List.of(new StateRecord.EntryState(1, 1, SESSION_2, SESSION_2 + HOUR))),
        new StateRecord.Done(
            "k",
            "orders",
            0,
            new long[] {2, 3},
            List.of(new StateRecord.Processed("orders-2", SESSION_2))));
  }

  @Test
  void theGoldenSnapshotHoldsExactlyTheseRecords() throws Exception {
    Path file = state().resolve("snapshot-00000000000000000003.dat");
    assertThat(render(read(file))).isEqualTo(render(snapshot()));
    assertThat(StateCodec.encode(snapshot())).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void theGoldenJournalHoldsExactlyTheseRecords() throws Exception {
    Path file = state().resolve("journal-00000000000000000003.log");
    assertThat(render(read(file))).isEqualTo(render(journal()));
    assertThat(StateCodec.encode(journal())).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void everyFrameStartsWithTheVersionByteAndItsCrcCoversTheHeader() throws Exception {
    byte[] bytes = Files.readAllBytes(state().resolve("journal-00000000000000000003.log"));
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      assertThat(buf.get(buf.position())).isEqualTo(StateCodec.MAGIC);
      int size = StateCodec.frameSize(buf, buf.remaining());
      assertThat(StateCodec.check(buf, size)).isTrue();
      byte[] flipped = bytes.clone();
      flipped[buf.position() + 4] ^= 1; // the length's low byte: caught by the CRC or the bounds
      ByteBuffer bad = ByteBuffer.wrap(flipped).position(buf.position());
      int badSize = StateCodec.frameSize(bad, bad.remaining());
      assertThat(badSize < 0 || !StateCodec.check(bad, badSize)).isTrue();
      buf.position(buf.position() + size);
    }
  }
}
