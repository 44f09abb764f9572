package io.sluice.storage.file.internal.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StorageFailedException;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index as a cache of the log: what a checkpoint guarantees after a crash, what it does not,
 * and truncation of a partition's tail. A crash is simulated by dropping an index unclosed and
 * opening the directory again in the same process (its writes are in the page cache, as after a
 * process crash).
 */
class DedupeCheckpointTest {
  @TempDir Path tmp;

  @Test
  void afterACrashOnlyKeysUpToTheCheckpointAnswerUntilPutAgain() {
    DedupeFixture f = new DedupeFixture(tmp);
    DedupeIndex before = f.open();
    for (int i = 0; i < 10; i++) {
      before.putIfAbsent("k" + i, f.entry(i));
    }
    before.advance(0, 4);
    before.checkpoint();
    for (int i = 10; i < 15; i++) {
      before.putIfAbsent("k" + i, f.entry(i));
    }
    DedupeFixture.crash(before);

    try (DedupeIndex after = f.open()) {
      assertThat(after.checkpointOffset(0)).isEqualTo(4);
      assertThat(after.checkpointOffset(1)).isEqualTo(-1);
      for (int i = 0; i < 15; i++) {
        assertThat(after.find("k" + i)).as("k%d", i).isEqualTo(i <= 4 ? f.entry(i) : null);
      }
      // The store re-puts the keys of log records 5..9 (records 10..14 were lost with the log's
      // tail); offset 10 now holds another message with key k12.
      for (int i = 5; i < 10; i++) {
        assertThat(after.putIfAbsent("k" + i, f.entry(i))).isNull();
      }
      DedupeEntry reused = new DedupeEntry(0, 10, 99, f.now());
      assertThat(after.putIfAbsent("k12", reused)).isNull();
      after.advance(0, 10);
      for (int i = 0; i < 15; i++) {
        DedupeEntry expected = i < 10 ? f.entry(i) : i == 12 ? reused : null;
        assertThat(after.find("k" + i)).as("k%d", i).isEqualTo(expected);
      }
    }
    try (DedupeIndex reopened = f.open()) {
      assertThat(reopened.checkpointOffset(0)).isEqualTo(10);
      assertThat(reopened.find("k12")).isEqualTo(new DedupeEntry(0, 10, 99, f.now()));
      assertThat(reopened.find("k13")).isNull();
      assertThat(reopened.find("k9")).isEqualTo(f.entry(9));
    }
  }

  @Test
  void aPowerLossKeepsWhatTheCheckpointForced() throws IOException {
    DedupeFixture f = new DedupeFixture(tmp.resolve("live"));
    Path survived = tmp.resolve("survived");
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 10; i++) {
        index.putIfAbsent("k" + i, f.entry(i));
      }
      index.advance(0, 9);
      index.checkpoint();
      copy(f.dir, survived); // what a power loss right now leaves: the forced files
      for (int i = 10; i < 2_000; i++) { // the table grows into a new file meanwhile
        index.putIfAbsent("k" + i, f.entry(i));
      }
    }
    DedupeFixture g = new DedupeFixture(survived);
    try (DedupeIndex index = g.open()) {
      assertThat(index.checkpointOffset(0)).isEqualTo(9);
      for (int i = 0; i < 12; i++) {
        assertThat(index.find("k" + i)).as("k%d", i).isEqualTo(i < 10 ? f.entry(i) : null);
      }
    }
  }

  @Test
  void failedCommitLeavesPreviousState() {
    boolean[] fail = {false};
    FileIo failing =
        new FileIo() {
          @Override
          public FileChannel open(Path path, OpenOption... options) throws IOException {
            if (fail[0] && path.getFileName().toString().equals(MetaFile.NAME)) {
              throw new IOException("injected: cannot write " + path);
            }
            return FileIo.super.open(path, options);
          }
        };
    DedupeFixture f = new DedupeFixture(tmp);
    f.space = new DedupeSpace(DedupeFixture.SMALL, f.clock, failing);
    DedupeIndex index = f.open();
    index.putIfAbsent("a", f.entry(0));
    index.advance(0, 0);
    index.checkpoint();
    index.putIfAbsent("b", f.entry(1));
    index.advance(0, 1);
    fail[0] = true;
    assertThatThrownBy(index::checkpoint)
        .isInstanceOf(StorageFailedException.class)
        .hasMessageContaining("injected");
    fail[0] = false;
    assertThat(index.checkpointOffset(0)).isZero();
    fail[0] = true;
    DedupeFixture.crash(index);
    fail[0] = false;
    try (DedupeIndex reopened = f.open()) {
      assertThat(reopened.checkpointOffset(0)).isZero();
      assertThat(reopened.find("a")).isEqualTo(f.entry(0));
      assertThat(reopened.find("b")).isNull();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }

  @Test
  void aSecondCrashKeepsTheFirstCrashsFence() {
    DedupeFixture f = new DedupeFixture(tmp);
    DedupeIndex first = f.open();
    for (int i = 0; i < 6; i++) {
      first.putIfAbsent("k" + i, f.entry(i));
    }
    first.advance(0, 2);
    first.checkpoint();
    DedupeFixture.crash(first); // k3..k5 beyond the checkpoint

    DedupeIndex second = f.open();
    second.putIfAbsent("k3", f.entry(3)); // the log had record 3 only
    second.advance(0, 3);
    second.checkpoint();
    second.putIfAbsent("new", f.entry(4)); // beyond the checkpoint again
    DedupeFixture.crash(second);

    try (DedupeIndex third = f.open()) {
      assertThat(third.find("k2")).isEqualTo(f.entry(2));
      assertThat(third.find("k3")).isEqualTo(f.entry(3));
      assertThat(third.find("k4")).isNull();
      assertThat(third.find("k5")).isNull();
      assertThat(third.find("new")).isNull();
    }
  }

  @Test
  void aCleanCloseCoveringEveryPutLeavesNoFence() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 5; i++) {
        index.putIfAbsent("k" + i, f.entry(i));
      }
      index.advance(0, 4);
    }
    DedupeIndex reopened = f.open();
    assertThat(reopened.find("k4")).isEqualTo(f.entry(4));
    DedupeFixture.crash(reopened); // no put: the state on disk stays clean
    try (DedupeIndex again = f.open()) {
      assertThat(again.find("k4")).isEqualTo(f.entry(4));
    }
  }

  @Test
  void aCloseThatDoesNotCoverEveryPutFencesTheRest() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 5; i++) {
        index.putIfAbsent("k" + i, f.entry(i));
      }
      index.advance(0, 2);
    }
    try (DedupeIndex reopened = f.open()) {
      assertThat(reopened.find("k2")).isEqualTo(f.entry(2));
      assertThat(reopened.find("k3")).isNull();
    }
  }

  @Test
  void truncateHidesEntriesAtOrBeyondTheNewEndDurably() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 10; i++) {
        index.putIfAbsent("k" + i, f.entry(i));
        index.putIfAbsent("p1-" + i, new DedupeEntry(1, i, 0, f.now()));
      }
      index.advance(0, 9);
      index.advance(1, 9);
      index.checkpoint();
      index.truncate(0, 5);
      index.truncate(1, 10); // nothing beyond: no effect
      assertThat(index.checkpointOffset(0)).isEqualTo(4);
      assertThat(index.find("k4")).isEqualTo(f.entry(4));
      assertThat(index.find("k5")).isNull();
      assertThat(index.find("p1-9")).isNotNull();
      DedupeEntry replacement = new DedupeEntry(0, 5, 55, f.now());
      assertThat(index.putIfAbsent("k7", replacement)).isNull();
    }
    DedupeIndex reopened = f.open();
    assertThat(reopened.checkpointOffset(0)).isEqualTo(4);
    assertThat(reopened.find("k5")).isNull();
    assertThat(reopened.find("k7")).isNull(); // put after the checkpoint, never advanced
    assertThat(reopened.find("p1-9")).isNotNull();
    DedupeFixture.crash(reopened);
  }

  @Test
  void truncateBeyondEveryEntryWritesNothing() throws Exception {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      index.putIfAbsent("k", f.entry(3));
      index.advance(0, 3);
      index.checkpoint();
      long sequence = MetaFile.read(f.space.io(), tmp.resolve(MetaFile.NAME)).state().sequence();
      index.truncate(0, 4);
      index.truncate(7, 0);
      assertThat(MetaFile.read(f.space.io(), tmp.resolve(MetaFile.NAME)).state().sequence())
          .isEqualTo(sequence);
      assertThat(index.find("k")).isEqualTo(f.entry(3));
    }
  }

  @Test
  void fencesAreDroppedWithTheBucketsTheyCovered() throws Exception {
    DedupeFixture f = new DedupeFixture(tmp);
    DedupeIndex first = f.open();
    first.putIfAbsent("old", f.entry(0));
    DedupeFixture.crash(first);
    try (DedupeIndex second = f.open()) {
      second.putIfAbsent("x", f.entry(1));
      second.advance(0, 1);
      second.checkpoint();
      assertThat(MetaFile.read(f.space.io(), tmp.resolve(MetaFile.NAME)).state().fences())
          .hasSize(1);
      f.advance(java.time.Duration.ofHours(2));
      second.expire();
      second.checkpoint();
      assertThat(MetaFile.read(f.space.io(), tmp.resolve(MetaFile.NAME)).state().fences())
          .isEmpty();
    }
  }

  @Test
  void theMetaFileGrowsItsSlotsForManyPartitions() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int p = 0; p < 1_000; p++) {
        index.putIfAbsent("k" + p, new DedupeEntry(p, p, 0, f.now()));
        index.advance(p, p);
      }
    }
    try (DedupeIndex index = f.open()) {
      assertThat(index.checkpointOffset(999)).isEqualTo(999);
      assertThat(index.find("k999")).isEqualTo(new DedupeEntry(999, 999, 0, f.now()));
    }
  }
}
