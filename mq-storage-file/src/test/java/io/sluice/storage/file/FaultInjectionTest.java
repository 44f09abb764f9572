package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.expected;
import static io.sluice.storage.file.StoreFixture.open;
import static io.sluice.storage.file.StoreFixture.payloads;
import static io.sluice.storage.file.StoreFixture.withTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.tck.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F7, F8, F9: I/O failures injected through the FileIo seam. */
class FaultInjectionTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock();
  final FaultyIo io = new FaultyIo();

  private static boolean isLog(Path p) {
    return p.getFileName().toString().endsWith(".log")
        && !p.getFileName().toString().startsWith("journal");
  }

  @Test
  void diskFullFailsTheSendKeepsEarlierReceiptsAndReopenRecovers() {
    try (FileStorage s = withTopic(open(config(dir, clock), io))) {
      batch(s, 0, 5);
      io.shortWrite = true;
      io.failWrite = FaultInjectionTest::isLog;
      assertThatThrownBy(() -> batch(s, 5, 10))
          .isInstanceOf(StorageFailedException.class)
          .hasMessageContaining("No space left on device");
      assertThat(payloads(s))
          .as("nothing of the failed batch is visible")
          .isEqualTo(expected(0, 5));
      io.failWrite = p -> false;
      assertThatThrownBy(() -> batch(s, 5, 6))
          .as("fail-stop: refuses writes until reopened, even with space again")
          .isInstanceOf(StorageFailedException.class);
      assertThat(s.health().healthy()).isFalse();
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(payloads(s)).isEqualTo(expected(0, 5));
      assertThat(batch(s, 5, 6).get(0).offset()).isEqualTo(5);
    }
  }

  @Test
  void failingForceFailsPendingSendsAndTheStoreRefusesWritesUntilReopened() {
    try (FileStorage s = withTopic(open(config(dir, clock), io))) {
      batch(s, 0, 3);
      io.failForce = FaultInjectionTest::isLog;
      assertThatThrownBy(() -> batch(s, 3, 4))
          .isInstanceOf(StorageFailedException.class)
          .hasMessageContaining("fsync");
      io.failForce = p -> false;
      assertThatThrownBy(() -> batch(s, 4, 5)).isInstanceOf(StorageFailedException.class);
      assertThat(payloads(s))
          .as("no reader sees data whose force failed")
          .isEqualTo(expected(0, 3));
    }
    try (FileStorage s = open(config(dir, clock))) {
      List<String> after = payloads(s);
      assertThat(after.subList(0, 3)).isEqualTo(expected(0, 3));
      assertThat(after).hasSizeLessThanOrEqualTo(4);
      long next = after.size();
      assertThat(batch(s, 10, 11).get(0).offset()).isEqualTo(next);
    }
  }

  @Test
  void intervalPolicyForcesWrittenDataWithinItsPeriod() throws Exception {
    FileStorageConfig.Builder interval =
        config(dir, clock).durability(Durability.interval(Duration.ofMillis(20)));
    try (FileStorage s = withTopic(open(interval, io))) {
      batch(s, 0, 5);
      Path log = StoreFixture.log(dir);
      long size = java.nio.file.Files.size(log);
      assertThat(payloads(s)).as("visible before any force").isEqualTo(expected(0, 5));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> io.synced.getOrDefault(log, 0L) == size);
    }
  }

  @Test
  void osPolicyDoesNotForceOnTheSendPath() throws Exception {
    try (FileStorage s = withTopic(open(config(dir, clock).durability(Durability.OS), io))) {
      Path log = StoreFixture.log(dir);
      batch(s, 0, 5);
      assertThat(payloads(s)).isEqualTo(expected(0, 5));
      assertThat(io.synced.get(log)).isZero();
    }
  }

  @Test
  void closeDuringSendsEndsThemWithAClearErrorAndNoHang() throws Exception {
    FileStorage s = withTopic(open(config(dir, clock)));
    java.util.concurrent.atomic.AtomicLong ok = new java.util.concurrent.atomic.AtomicLong();
    java.util.List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> senders = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      senders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; ; i++) {
                        batch(s, i, i + 1);
                        ok.incrementAndGet();
                      }
                    } catch (RuntimeException e) {
                      errors.add(e);
                    }
                  }));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > 20);
    s.close();
    for (Thread t : senders) {
      t.join(30_000);
      assertThat(t.isAlive()).as("sender finished after close").isFalse();
    }
    assertThat(errors)
        .hasSize(4)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfAny(
                        io.sluice.api.error.StorageClosedException.class,
                        StorageFailedException.class));
    try (FileStorage again = open(config(dir, clock))) {
      assertThat(payloads(again).size()).isGreaterThanOrEqualTo((int) ok.get());
    }
  }

  @Test
  void crashDuringSegmentRollKeepsEveryReceiptAndDenseOffsets() {
    FileStorageConfig.Builder small = config(dir, clock).segmentBytes(1024);
    int written;
    try (FileStorage s = withTopic(open(small, io))) {
      int i = 0;
      while (StoreFixture.filesUnchecked(dir, ".log").size() < 2) {
        batch(s, i, i + 5);
        i += 5;
      }
      written = i;
      io.failDirForce = p -> p.endsWith("0");
      int from = i;
      assertThatThrownBy(
              () -> {
                for (int j = from; j < from + 1000; j += 5) {
                  batch(s, j, j + 5);
                }
              })
          .isInstanceOf(StorageFailedException.class);
      written = Math.max(written, (int) s.describeTopic(TOPIC).partitions().get(0).endOffset());
      s.abandon();
    }
    try (FileStorage s = open(config(dir, clock).segmentBytes(1024))) {
      List<String> after = payloads(s);
      assertThat(after).isEqualTo(expected(0, after.size()));
      assertThat(after.size()).isGreaterThanOrEqualTo(written);
      assertThat(batch(s, 5000, 5001).get(0).offset()).isEqualTo(after.size());
    }
  }

  @Test
  void crashDuringStateSnapshotReplaceKeepsAckedProgress() {
    String group = "g";
    try (FileStorage s = withTopic(open(config(dir, clock), io))) {
      batch(s, 0, 10);
      List<Lease> leases = s.claim(ClaimRequest.of(group, TOPIC, 4, Duration.ofSeconds(30)));
      s.ack(group, leases.stream().map(l -> Ack.of(l.id())).toList());
      io.failMove = p -> p.getFileName().toString().startsWith("snapshot");
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.groupState(group, TOPIC).get(0).committedOffset()).isEqualTo(4);
      List<Lease> next = s.claim(ClaimRequest.of(group, TOPIC, 10, Duration.ofSeconds(30)));
      assertThat(next).extracting(l -> l.id().offset()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    }
  }

  @Test
  void crashAfterSnapshotRenameBeforeOldFilesAreDeletedKeepsState() {
    String group = "g";
    try (FileStorage s = withTopic(open(config(dir, clock), io))) {
      batch(s, 0, 10);
      s.seek(group, TOPIC, 0, Position.offset(7));
      io.failDelete = p -> p.getFileName().toString().startsWith("journal");
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.groupState(group, TOPIC).get(0).committedOffset()).isEqualTo(7);
    }
  }

  @Test
  void crashDuringRetentionDeleteLeavesAReadableLog() {
    FileStorageConfig.Builder small = config(dir, clock).segmentBytes(1024);
    try (FileStorage s = open(small, io)) {
      s.createTopic(TOPIC, TopicConfig.defaults().withRetention(Duration.ofHours(1)));
      for (int i = 0; i < 200; i += 5) {
        batch(s, i, i + 5);
      }
      clock.advance(Duration.ofHours(2));
      io.failDelete = p -> p.getFileName().toString().endsWith(".index");
      assertThatThrownBy(s::enforceRetention).isInstanceOf(StorageFailedException.class);
      s.abandon();
    }
    try (FileStorage s = open(config(dir, clock).segmentBytes(1024))) {
      var range = s.describeTopic(TOPIC).partitions().get(0);
      assertThat(range.endOffset()).isEqualTo(200);
      assertThat(payloads(s)).isEqualTo(expected((int) range.logStartOffset(), 200));
      assertThat(batch(s, 200, 201).get(0).offset()).isEqualTo(200);
    }
  }

  /**
   * Issue 10.3: the page cache still held the bytes of the send whose force failed, and recovery
   * used to read them back. Whether the store is closed or the process dies after the failure, the
   * failed send stays gone and later sends get dense offsets.
   */
  @Test
  void aSendWhoseForceFailedDoesNotReappearAfterCloseOrCrash() {
    for (boolean crash : new boolean[] {false, true}) {
      Path store = dir.resolve(crash ? "crash" : "close");
      FaultyIo faulty = new FaultyIo();
      FileStorage s = withTopic(open(config(store, clock), faulty));
      batch(s, 0, 3);
      faulty.failForce = FaultInjectionTest::isLog;
      assertThatThrownBy(() -> batch(s, 3, 5))
          .isInstanceOf(StorageFailedException.class)
          .hasMessageContaining("fsync");
      if (crash) {
        s.abandon();
      } else {
        s.close();
      }
      try (FileStorage again = open(config(store, clock))) {
        assertThat(payloads(again)).as("crash: %s", crash).isEqualTo(expected(0, 3));
        assertThat(batch(again, 10, 12)).extracting(Receipt::offset).containsExactly(3L, 4L);
        assertThat(payloads(again)).containsExactly("m0", "m1", "m2", "m10", "m11");
      }
    }
  }
}
