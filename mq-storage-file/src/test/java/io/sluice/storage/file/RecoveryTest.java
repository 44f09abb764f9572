package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.expected;
import static io.sluice.storage.file.StoreFixture.flip;
import static io.sluice.storage.file.StoreFixture.log;
import static io.sluice.storage.file.StoreFixture.open;
import static io.sluice.storage.file.StoreFixture.payloads;
import static io.sluice.storage.file.StoreFixture.withTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F4, F5, F6: what opening a damaged log does. */
class RecoveryTest {
  @TempDir Path tmp;
  final SettableClock clock = new SettableClock();

  /** Three batches of 3 messages; returns the byte position where the last batch starts. */
  private long threeBatches(Path dir) throws IOException {
    try (FileStorage s = withTopic(open(config(dir, clock)))) {
      batch(s, 0, 3);
      batch(s, 3, 6);
      long before = Files.size(log(dir));
      batch(s, 6, 9);
      return before;
    }
  }

  @Test
  void tornLastBatchIsCutAndTheNextAppendGetsTheNextOffset() throws IOException {
    // Every byte offset is covered at the segment level by SegmentRecoveryTest; here a few
    // representative cuts go through the whole store.
    Path golden = tmp.resolve("golden");
    long lastStart = threeBatches(golden);
    long full = Files.size(log(golden));
    for (long cut : new long[] {lastStart + 1, lastStart + 28, lastStart + 40, full - 1}) {
      Path dir = tmp.resolve("cut" + cut);
      StoreFixture.copy(golden, dir);
      try (RandomAccessFile f = new RandomAccessFile(log(dir).toFile(), "rw")) {
        f.setLength(cut);
      }
      try (FileStorage s = open(config(dir, clock))) {
        assertThat(payloads(s)).as("cut at %d", cut).isEqualTo(expected(0, 6));
        assertThat(batch(s, 6, 7).get(0).offset()).isEqualTo(6);
      }
      assertThat(Files.size(log(dir))).isGreaterThan(lastStart);
    }
  }

  @Test
  void zeroFilledTailIsCut() throws IOException {
    threeBatches(tmp);
    Files.write(log(tmp), new byte[8192], java.nio.file.StandardOpenOption.APPEND);
    try (FileStorage s = open(config(tmp, clock))) {
      assertThat(payloads(s)).isEqualTo(expected(0, 9));
      assertThat(batch(s, 9, 10).get(0).offset()).isEqualTo(9);
    }
  }

  @Test
  void garbageTailIsCut() throws IOException {
    threeBatches(tmp);
    byte[] garbage = new byte[5000];
    new Random(42).nextBytes(garbage);
    Files.write(log(tmp), garbage, java.nio.file.StandardOpenOption.APPEND);
    try (FileStorage s = open(config(tmp, clock))) {
      assertThat(payloads(s)).isEqualTo(expected(0, 9));
      assertThat(batch(s, 9, 10).get(0).offset()).isEqualTo(9);
    }
  }

  private long secondBatchStart(Path dir) throws IOException {
    try (FileStorage s = withTopic(open(config(dir, clock)))) {
      batch(s, 0, 3);
      long second = Files.size(log(dir));
      batch(s, 3, 6);
      batch(s, 6, 9);
      return second;
    }
  }

  @Test
  void bitFlipInAMiddleBatchRaisesStorageCorruptedExceptionWithFileAndPosition()
      throws IOException {
    long second = secondBatchStart(tmp);
    Path log = log(tmp);
    flip(log, second + 40);
    assertThatThrownBy(() -> open(config(tmp, clock)))
        .isInstanceOfSatisfying(
            StorageCorruptedException.class,
            e -> {
              assertThat(e.file()).isEqualTo(log);
              assertThat(e.position()).isEqualTo(second);
              assertThat(e.getMessage()).contains(log.toString());
            });
  }

  @Test
  void optInTruncationCutsAtTheCorruptBatch() throws IOException {
    long second = secondBatchStart(tmp);
    flip(log(tmp), second + 40);
    try (FileStorage s = open(config(tmp, clock).truncateCorruptData(true))) {
      assertThat(payloads(s)).isEqualTo(expected(0, 3));
      assertThat(batch(s, 3, 4).get(0).offset()).isEqualTo(3);
    }
  }

  @Test
  void lengthFieldOfMaxIntInAMiddleBatchIsCorruptionNotAnOutOfMemoryError() throws IOException {
    long second = secondBatchStart(tmp);
    try (RandomAccessFile f = new RandomAccessFile(log(tmp).toFile(), "rw")) {
      f.seek(second + 1);
      f.writeInt(Integer.MAX_VALUE);
    }
    assertThatThrownBy(() -> open(config(tmp, clock)))
        .isInstanceOfSatisfying(
            StorageCorruptedException.class, e -> assertThat(e.position()).isEqualTo(second));
  }

  @Test
  void bitFlipInASealedSegmentFailsTheReadThatReachesIt() throws IOException {
    try (FileStorage s = withTopic(open(config(tmp, clock).segmentBytes(1024)))) {
      for (int i = 0; i < 60; i += 3) {
        batch(s, i, i + 3);
      }
    }
    Path first = StoreFixture.files(tmp, ".log").get(0);
    flip(first, 60);
    try (FileStorage s = open(config(tmp, clock).segmentBytes(1024))) {
      assertThat(s.read(StoreFixture.TOPIC, 0, 57, 3)).hasSize(3);
      assertThatThrownBy(() -> s.read(StoreFixture.TOPIC, 0, 0, 10))
          .isInstanceOfSatisfying(
              StorageCorruptedException.class,
              e -> {
                assertThat(e.file()).isEqualTo(first);
                assertThat(e.position()).isZero();
              });
    }
  }

  @Test
  void deletedIndexesAreRebuilt() throws IOException {
    writeSmallSegments();
    for (Path index : StoreFixture.files(tmp, ".index")) {
      Files.delete(index);
    }
    try (FileStorage s = open(config(tmp, clock).segmentBytes(1024).indexIntervalBytes(64))) {
      assertThat(payloads(s)).isEqualTo(expected(0, 300));
      assertThat(s.read(StoreFixture.TOPIC, 0, 151, 1).get(0).message().payloadAsString())
          .isEqualTo("m151");
    }
  }

  @Test
  void scrambledIndexesAreRebuilt() throws IOException {
    writeSmallSegments();
    Random random = new Random(7);
    for (Path index : StoreFixture.files(tmp, ".index")) {
      byte[] junk = new byte[(int) Files.size(index)];
      random.nextBytes(junk);
      Files.write(index, junk);
    }
    try (FileStorage s = open(config(tmp, clock).segmentBytes(1024).indexIntervalBytes(64))) {
      for (int o = 0; o < 300; o += 7) {
        assertThat(s.read(StoreFixture.TOPIC, 0, o, 1).get(0).message().payloadAsString())
            .isEqualTo("m" + o);
      }
      assertThat(payloads(s)).isEqualTo(expected(0, 300));
    }
  }

  private void writeSmallSegments() throws IOException {
    try (FileStorage s =
        withTopic(open(config(tmp, clock).segmentBytes(1024).indexIntervalBytes(64)))) {
      for (int i = 0; i < 300; i += 2) {
        batch(s, i, i + 2);
      }
    }
    assertThat(StoreFixture.files(tmp, ".log")).hasSizeGreaterThan(5);
  }
}
