package io.sluice.storage.file.internal.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StorageCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn slots read as absent; damaged headers raise {@link StorageCorruptedException}. */
class DedupeCorruptionTest {
  private static final int KEYS = 200;

  @TempDir Path tmp;

  private DedupeFixture written() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < KEYS; i++) {
        index.putIfAbsent("key-" + i, f.entry(i));
      }
      index.advance(0, KEYS);
    }
    return f;
  }

  /** File positions of the occupied slots of the only bucket file. */
  private static List<Long> occupiedSlots(Path bucket) throws IOException {
    List<Long> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(bucket, StandardOpenOption.READ)) {
      ByteBuffer slot = ByteBuffer.allocate(SlotTable.SLOT);
      for (long at = SlotTable.HEADER; at < ch.size(); at += SlotTable.SLOT) {
        ch.read(slot.clear(), at);
        if (slot.getInt(40) != 0) {
          out.add(at);
        }
      }
    }
    return out;
  }

  private static void overwrite(Path file, long at, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), at);
    }
  }

  @Test
  void tornSlotsReadAsAbsentNeverAsAWrongHit() throws IOException {
    DedupeFixture f = written();
    Path bucket = f.buckets().get(0);
    List<Long> slots = occupiedSlots(bucket);
    assertThat(slots).hasSize(KEYS);
    Random random = new Random(7);
    byte[] garbage = new byte[SlotTable.SLOT];
    random.nextBytes(garbage);
    overwrite(bucket, slots.get(10), garbage); // a slot full of garbage
    overwrite(bucket, slots.get(20) + 16, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // a new offset
    overwrite(bucket, slots.get(30) + 24, new byte[16]); // timestamp to acceptedDelta lost
    // (A write torn so that the epoch stays 0 leaves the slot empty: only a slot first written
    // after the last checkpoint can be torn that way, and the keys it could hide from a probe were
    // put after it, so after that checkpoint too, and are put again from the log.)
    try (DedupeIndex index = f.open()) {
      int absent = 0;
      for (int i = 0; i < KEYS; i++) {
        DedupeEntry found = index.find("key-" + i);
        if (found == null) {
          absent++;
        } else {
          assertThat(found).isEqualTo(f.entry(i));
        }
      }
      assertThat(absent).isEqualTo(3);
      // The torn keys can be put again and are found; nothing else changed.
      for (int i = 0; i < KEYS; i++) {
        index.putIfAbsent("key-" + i, f.entry(i));
      }
      for (int i = 0; i < KEYS; i++) {
        assertThat(index.find("key-" + i)).isEqualTo(f.entry(i));
      }
    }
  }

  @Test
  void aTornSlotInAProbeChainDoesNotHideTheKeysAfterIt() throws IOException {
    DedupeFixture f = written();
    Path bucket = f.buckets().get(0);
    byte[] junk = new byte[SlotTable.SLOT];
    java.util.Arrays.fill(junk, (byte) 0x5a);
    for (long at : occupiedSlots(bucket)) {
      overwrite(bucket, at, junk);
      try (DedupeIndex index = f.open()) {
        long found = 0;
        for (int i = 0; i < KEYS; i++) {
          found += index.find("key-" + i) != null ? 1 : 0;
        }
        assertThat(found).isEqualTo(KEYS - 1);
      }
      break;
    }
  }

  @Test
  void aBucketHeaderWithABadCrcIsCorruption() throws IOException {
    DedupeFixture f = written();
    Path bucket = f.buckets().get(0);
    overwrite(bucket, 17, new byte[] {0x7f}); // inside "end"
    assertCorrupted(f, bucket, 40, "header CRC");
  }

  @Test
  void aBucketHeaderWithBadMagicOrVersionIsCorruption() throws IOException {
    DedupeFixture f = written();
    Path bucket = f.buckets().get(0);
    overwrite(bucket, 4, new byte[] {0, 9});
    assertCorrupted(f, bucket, 4, "format version 1, found 9");
    overwrite(bucket, 0, new byte[] {'X'});
    assertCorrupted(f, bucket, 0, "magic");
  }

  @Test
  void aTruncatedBucketFileIsCorruption() throws IOException {
    DedupeFixture f = written();
    Path bucket = f.buckets().get(0);
    long size = Files.size(bucket);
    try (FileChannel ch = FileChannel.open(bucket, StandardOpenOption.WRITE)) {
      ch.truncate(size - 1);
    }
    assertCorrupted(f, bucket, size - 1, "truncated");
  }

  @Test
  void aMetaHeaderWithABadCrcIsCorruption() throws IOException {
    DedupeFixture f = written();
    Path meta = tmp.resolve(MetaFile.NAME);
    overwrite(meta, 9, new byte[] {0x11, 0x22});
    assertCorrupted(f, meta, 28, "header CRC");
    overwrite(meta, 0, new byte[] {0, 0, 0, 0});
    assertCorrupted(f, meta, 0, "magic");
  }

  @Test
  void aMetaFileWithBothStateSlotsDamagedIsCorruption() throws IOException {
    DedupeFixture f = written();
    Path meta = tmp.resolve(MetaFile.NAME);
    byte[] junk = new byte[2048];
    java.util.Arrays.fill(junk, (byte) 1);
    overwrite(meta, MetaFile.HEADER_AREA, junk);
    assertCorrupted(f, meta, MetaFile.HEADER_AREA, "valid state slot");
  }

  @Test
  void oneTornStateSlotFallsBackToThePreviousState() throws IOException {
    DedupeFixture f = written();
    Path meta = tmp.resolve(MetaFile.NAME);
    MetaFile.Loaded before = MetaFile.read(f.space.io(), meta);
    long sequence = before.state().sequence();
    // Tear the current state's slot; the other one holds the state before it.
    int slotBytes = 512;
    overwrite(meta, MetaFile.HEADER_AREA + (sequence & 1) * slotBytes + 20, new byte[] {9, 9});
    MetaFile.Loaded after = MetaFile.read(f.space.io(), meta);
    assertThat(after.state().sequence()).isEqualTo(sequence - 1);
  }

  @Test
  void bucketFilesWithoutTheirMetaFileAreCorruption() throws IOException {
    DedupeFixture f = written();
    Files.delete(tmp.resolve(MetaFile.NAME));
    assertCorrupted(f, tmp.resolve(MetaFile.NAME), 0, "meta file");
  }

  @Test
  void aBucketFileOfAnotherIndexIsCorruption() throws IOException {
    DedupeFixture f = written();
    Path other = tmp.resolve("other");
    DedupeFixture g = new DedupeFixture(other);
    try (DedupeIndex index = g.open()) {
      index.putIfAbsent("x", g.entry(0));
    }
    Path foreign = g.buckets().get(0);
    Files.delete(f.buckets().get(0));
    Files.copy(foreign, tmp.resolve(foreign.getFileName()));
    assertCorrupted(f, tmp.resolve(foreign.getFileName()), 32, "hash check");
  }

  @Test
  void leftoversOfAnInterruptedGrowthAreCleanedUp() throws IOException {
    DedupeFixture f = written();
    Path bucket = f.buckets().get(0);
    BucketFile.Name name = BucketFile.Name.parse(bucket.getFileName().toString());
    Path smaller =
        tmp.resolve(new BucketFile.Name(name.start(), name.log2Capacity() - 1).fileName());
    Files.write(smaller, new byte[] {1, 2, 3}); // stale: the larger file wins
    Files.write(tmp.resolve(bucket.getFileName() + ".tmp"), new byte[] {4});
    try (DedupeIndex index = f.open()) {
      assertThat(index.find("key-1")).isEqualTo(f.entry(1));
    }
    assertThat(f.buckets()).containsExactly(bucket);
    assertThat(tmp.resolve(bucket.getFileName() + ".tmp")).doesNotExist();
  }

  private static void assertCorrupted(DedupeFixture f, Path file, long position, String problem) {
    DedupeIndex index = f.open();
    assertThatThrownBy(() -> index.find("key-1"))
        .isInstanceOfSatisfying(
            StorageCorruptedException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.position()).isEqualTo(position);
            })
        .hasMessageContaining(problem)
        .hasMessageContaining(file.toString());
  }
}
