package io.sluice.storage.file.internal.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.MessageTooLargeException;
import io.sluice.api.error.StorageClosedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupeIndexTest {
  @TempDir Path tmp;

  @Test
  void putThenFindRoundTrips() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      DedupeEntry e = new DedupeEntry(3, 42, 1_700_000_000_123L, f.now());
      assertThat(index.find("order-1")).isNull();
      assertThat(index.putIfAbsent("order-1", e)).isNull();
      assertThat(index.find("order-1")).isEqualTo(e);
      assertThat(index.find("order-2")).isNull();
      String longest = "é".repeat(128);
      DedupeEntry e2 = new DedupeEntry(0, 0, Long.MIN_VALUE, f.now());
      assertThat(index.putIfAbsent(longest, e2)).isNull();
      assertThat(index.find(longest)).isEqualTo(e2);
    }
  }

  @Test
  void putIsIdempotentAndKeepsTheFirstEntry() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      DedupeEntry first = f.entry(1);
      assertThat(index.putIfAbsent("k", first)).isNull();
      assertThat(index.putIfAbsent("k", first)).isEqualTo(first);
      f.advance(Duration.ofMinutes(20)); // a later bucket
      assertThat(index.putIfAbsent("k", f.entry(2))).isEqualTo(first);
      assertThat(index.find("k")).isEqualTo(first);
      assertThat(f.buckets()).hasSize(1);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void putAfterAMissStoresAndKeepsALiveEntryInItsBucket() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      assertThat(index.find("k")).isNull();
      index.put("k", f.entry(1));
      index.put("k", f.entry(2)); // same bucket: the live entry is kept
      assertThat(index.find("k")).isEqualTo(f.entry(1));
      f.advance(DedupeFixture.WINDOW);
      index.put("k", f.entry(3)); // the first one expired
      assertThat(index.find("k")).isEqualTo(f.entry(3));
      index.put("old", new DedupeEntry(0, 0, 0, f.now() - DedupeFixture.WINDOW.toMillis()));
      assertThat(index.find("old")).isNull();
    }
  }

  @Test
  void anEntryLivesExactlyForTheWindow() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      DedupeEntry e = f.entry(0);
      index.putIfAbsent("k", e);
      f.advance(DedupeFixture.WINDOW.minusMillis(1));
      assertThat(index.find("k")).isEqualTo(e);
      f.advance(Duration.ofMillis(1));
      assertThat(index.find("k")).isNull();
      DedupeEntry again = f.entry(7);
      assertThat(index.putIfAbsent("k", again)).isNull();
      assertThat(index.find("k")).isEqualTo(again);
    }
  }

  @Test
  void anEntryAlreadyPastTheWindowIsNotStored() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      long old = f.now() - DedupeFixture.WINDOW.toMillis();
      assertThat(index.putIfAbsent("k", new DedupeEntry(0, 0, 0, old))).isNull();
      assertThat(index.find("k")).isNull();
      DedupeEntry recent = new DedupeEntry(0, 0, 0, old + 1);
      assertThat(index.putIfAbsent("k", recent)).isNull();
      assertThat(index.find("k")).isEqualTo(recent);
    }
  }

  @Test
  void keysAreValidated() {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      assertThatThrownBy(() -> index.find("x".repeat(257)))
          .isInstanceOf(MessageTooLargeException.class);
      assertThatThrownBy(() -> index.putIfAbsent("", f.entry(0)))
          .isInstanceOf(io.sluice.api.error.InvalidMessageException.class);
    }
  }

  @Test
  void wholeBucketFilesAreDeletedOnceTheirEntriesExpire() throws Exception {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 8; i++) { // two hours, one key per 15-minute bucket
        index.putIfAbsent("k" + i, f.entry(i));
        f.advance(Duration.ofMinutes(15));
      }
      // now = T0 + 2h: keys accepted at or before T0 + 1h are dead; a bucket [s, e) goes once
      // now >= e - 1ms + 1h, so the buckets starting at T0 + 0, 15, 30 and 45 min are gone
      // (creating a bucket deletes expired ones, the rest goes now).
      index.expire();
      assertThat(f.buckets()).hasSize(4);
      for (int i = 0; i < 8; i++) {
        assertThat(index.find("k" + i)).as("k%d", i).isEqualTo(i <= 4 ? null : entry(f, i));
      }
      f.advance(Duration.ofMinutes(45).minusMillis(1)); // T0 + 2h45m - 1ms
      assertThat(index.expire()).isEqualTo(3);
      assertThat(f.buckets()).hasSize(1);
      f.advance(Duration.ofMinutes(15).minusMillis(1)); // T0 + 3h - 2ms
      assertThat(index.expire()).isZero();
      f.advance(Duration.ofMillis(1)); // the last bucket [T0+1h45m, T0+2h) is past the window
      assertThat(index.expire()).isEqualTo(1);
      assertThat(f.buckets()).isEmpty();
    }
  }

  private static DedupeEntry entry(DedupeFixture f, int i) {
    return new DedupeEntry(
        0, i, 1_000 + i, DedupeFixture.T0.plus(Duration.ofMinutes(15L * i)).toEpochMilli());
  }

  @Test
  void newBucketsDeleteExpiredOnes() throws Exception {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      index.putIfAbsent("a", f.entry(0));
      f.advance(Duration.ofHours(2));
      index.putIfAbsent("b", f.entry(1));
      assertThat(f.buckets()).hasSize(1);
      assertThat(index.find("a")).isNull();
    }
  }

  @Test
  void reopenFindsEverything() {
    DedupeFixture f = new DedupeFixture(tmp);
    List<DedupeEntry> entries = new ArrayList<>();
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 3_000; i++) {
        DedupeEntry e = new DedupeEntry(i % 5, i, i * 7L, f.now());
        entries.add(e);
        index.putIfAbsent("key-" + i, e);
        if (i % 1_000 == 999) {
          f.advance(Duration.ofMinutes(10));
        }
      }
      for (int p = 0; p < 5; p++) {
        index.advance(p, 3_000);
      }
    }
    f.space = new DedupeSpace(DedupeFixture.SMALL, f.clock, f.space.io());
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 3_000; i++) {
        assertThat(index.find("key-" + i)).isEqualTo(entries.get(i));
      }
      assertThat(index.find("key-3000")).isNull();
      assertThat(index.checkpointOffset(4)).isEqualTo(3_000);
    }
  }

  @Test
  void tablesGrowPastTheirInitialCapacity() throws Exception {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 20_000; i++) {
        index.putIfAbsent("key-" + i, f.entry(i));
      }
      List<Path> files = f.buckets();
      assertThat(files).hasSize(1);
      BucketFile.Name name = BucketFile.Name.parse(files.get(0).getFileName().toString());
      assertThat(1 << name.log2Capacity()).isGreaterThanOrEqualTo(20_000 * 10 / 7);
      assertThat(Files.size(files.get(0))).isEqualTo(SlotTable.fileSize(1 << name.log2Capacity()));
      for (int i = 0; i < 20_000; i++) {
        assertThat(index.find("key-" + i)).isNotNull();
      }
      index.advance(0, 19_999);
    }
    try (DedupeIndex index = f.open()) {
      assertThat(index.find("key-19999")).isEqualTo(new DedupeEntry(0, 19_999, 20_999, f.now()));
    }
  }

  @Test
  void theNextBucketStartsAtTheSizeThePreviousOneNeeded() throws Exception {
    DedupeFixture f = new DedupeFixture(tmp);
    try (DedupeIndex index = f.open()) {
      for (int i = 0; i < 1_000; i++) {
        index.putIfAbsent("a-" + i, f.entry(i));
      }
      f.advance(Duration.ofMinutes(15));
      index.putIfAbsent("b", f.entry(0));
      List<Path> files = f.buckets();
      assertThat(files).hasSize(2);
      BucketFile.Name second = BucketFile.Name.parse(files.get(1).getFileName().toString());
      assertThat(second.log2Capacity()).isEqualTo(11); // 2 * 1,000 rounded up to a power of 2
    }
  }

  @Test
  void bucketFileNamesRoundTrip() {
    for (BucketFile.Name n :
        List.of(
            new BucketFile.Name(1_767_225_600_000L, 10),
            new BucketFile.Name(-5, 4),
            new BucketFile.Name(Long.MAX_VALUE, 30))) {
      assertThat(n.fileName()).hasSize(30);
      assertThat(BucketFile.Name.parse(n.fileName())).isEqualTo(n);
    }
    assertThat(BucketFile.Name.parse("99999999999999999999-10.bucket")).isNull();
    assertThat(BucketFile.Name.parse("00000000000000000001-10.bucket.tmp")).isNull();
  }

  @Test
  void closedIndexRejectsCalls() {
    DedupeFixture f = new DedupeFixture(tmp);
    DedupeIndex index = f.open();
    index.putIfAbsent("k", f.entry(0));
    index.close();
    index.close();
    assertThatThrownBy(() -> index.find("k")).isInstanceOf(StorageClosedException.class);
    assertThatThrownBy(() -> index.putIfAbsent("k", f.entry(0)))
        .isInstanceOf(StorageClosedException.class);
  }

  @Test
  void anUnusedIndexTouchesNoFile() {
    DedupeFixture f = new DedupeFixture(tmp.resolve("never"));
    f.open().close();
    assertThat(tmp.resolve("never")).doesNotExist();
  }
}
