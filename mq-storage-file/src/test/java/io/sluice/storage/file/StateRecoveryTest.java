package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.flip;
import static io.sluice.storage.file.StoreFixture.open;
import static io.sluice.storage.file.StoreFixture.withTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.file.internal.state.StateCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F4 and F5 for the group-state journal: a torn last frame is a crash mid-write and is cut; a bad
 * frame with valid frames after it is corruption, reported with file and position unless the
 * operator opts into truncation.
 */
class StateRecoveryTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  /** Claims and acks offsets 0, 1 and 2 one by one, then stops without compacting (a crash). */
  private Path threeAcksThenCrash() throws IOException {
    try (FileStorage s = withTopic(open(config(dir, clock)))) {
      batch(s, 0, 3);
      for (int i = 0; i < 3; i++) {
        List<Lease> one = s.claim(ClaimRequest.of("g", TOPIC, 1, Duration.ofMinutes(1)));
        s.ack("g", List.of(Ack.of(one.get(0).id())));
      }
      s.abandon();
    }
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("journal-"))
          .max(Path::compareTo)
          .orElseThrow();
    }
  }

  /** The start positions of the journal's frames. */
  private static List<Long> frames(Path journal) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(journal));
    List<Long> starts = new ArrayList<>();
    while (buf.hasRemaining()) {
      int length = StateCodec.checkFrame(buf);
      assertThat(length).as("frame at %d", buf.position()).isPositive();
      starts.add((long) buf.position());
      buf.position(buf.position() + StateCodec.FRAME_HEADER + length);
    }
    return starts;
  }

  private long committed(FileStorage s) {
    return s.groupState("g", TOPIC).get(0).committedOffset();
  }

  @Test
  void aCrashLeavesEveryAckInTheJournal() throws IOException {
    threeAcksThenCrash();
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(committed(s)).isEqualTo(3);
    }
  }

  @Test
  void aTornLastFrameIsCutAndOnlyThatChangeIsLost() throws IOException {
    Path journal = threeAcksThenCrash();
    List<Long> starts = frames(journal);
    long last = starts.get(starts.size() - 1);
    try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
      f.setLength(last + StateCodec.FRAME_HEADER + 1);
    }
    try (FileStorage s = open(config(dir, clock))) {
      // The last frame is the ack of offset 2: offsets 0 and 1 stay done, 2 comes back.
      assertThat(committed(s)).isEqualTo(2);
      List<Lease> again = s.claim(ClaimRequest.of("g", TOPIC, 10, Duration.ofMinutes(1)));
      assertThat(again).singleElement().satisfies(l -> assertThat(l.id().offset()).isEqualTo(2));
    }
  }

  @Test
  void aBadFrameBeforeValidOnesRaisesStorageCorruptedExceptionWithFileAndPosition()
      throws IOException {
    Path journal = threeAcksThenCrash();
    List<Long> starts = frames(journal);
    long victim = starts.get(starts.size() - 2);
    flip(journal, victim + StateCodec.FRAME_HEADER + 1);
    long sizeBefore = Files.size(journal);
    assertThatThrownBy(() -> open(config(dir, clock)))
        .isInstanceOfSatisfying(
            StorageCorruptedException.class,
            e -> {
              assertThat(e.file()).isEqualTo(journal);
              assertThat(e.position()).isEqualTo(victim);
            });
    assertThat(Files.size(journal)).as("nothing cut without the opt-in").isEqualTo(sizeBefore);
  }

  @Test
  void optInTruncationCutsTheJournalAtTheBadFrame() throws IOException {
    Path journal = threeAcksThenCrash();
    List<Long> starts = frames(journal);
    long victim = starts.get(starts.size() - 2);
    flip(journal, victim + StateCodec.FRAME_HEADER + 1);
    try (FileStorage s = open(config(dir, clock).truncateCorruptData(true))) {
      assertThat(committed(s)).isLessThan(3);
      List<Lease> again = s.claim(ClaimRequest.of("g", TOPIC, 10, Duration.ofMinutes(1)));
      assertThat(again).extracting(l -> l.id().offset()).contains(2L);
    }
  }
}
