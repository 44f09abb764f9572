package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11.2: producer idempotency keys and processed keys live in the bounded on-disk index; a
 * reopen reads its headers, not the keys; and both kinds survive what the durability mode promises
 * while never answering for a record or an ack that was lost.
 */
class DedupeKeysTest {
  private static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  /** The store's durability modes, for the crash cases. */
  enum Mode {
    SYNC(Durability.SYNC),
    OS(Durability.OS),
    INTERVAL(Durability.interval(Duration.ofSeconds(1)));

    final Durability durability;

    Mode(Durability durability) {
      this.durability = durability;
    }
  }

  private FileStorageConfig.Builder in(Mode mode) {
    return config(dir, clock).durability(mode.durability);
  }

  private static OutgoingMessage idem(String key) {
    return OutgoingMessage.toPartition(Message.builder(key).idempotencyKey(key).build(), 0);
  }

  private long filesBytes(Path d) throws IOException {
    try (Stream<Path> files = Files.walk(d)) {
      long n = 0;
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        n += Files.size(p);
      }
      return n;
    }
  }

  /**
   * A million keys: the state files stay small (the keys are not in them) and a reopen reads the
   * index's meta file and bucket headers, not its keys; lookups still find the first and the last.
   */
  @Test
  void aMillionIdempotencyKeysReopenWithoutReadingTheKeys() throws IOException {
    int keys = 1_000_000;
    FileStorageConfig.Builder os = config(dir, clock).durability(Durability.OS);
    try (FileStorage s = open(os)) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      List<OutgoingMessage> batch = new ArrayList<>(1000);
      for (int i = 0; i < keys; i++) {
        batch.add(idem("key-" + i));
        if (batch.size() == 1000) {
          s.append(TOPIC, batch);
          batch = new ArrayList<>(1000);
        }
      }
    }
    assertThat(filesBytes(dir.resolve("state"))).as("state files").isLessThan(64 << 10);
    ReadCountingIo io = new ReadCountingIo();
    try (FileStorage s = open(os, io)) {
      assertThat(io.readUnder(dir.resolve("dedupe"))).as("index bytes read").isLessThan(16 << 10);
      assertThat(io.readUnder(dir.resolve("state"))).as("state bytes read").isLessThan(64 << 10);
      List<Receipt> again = s.append(TOPIC, List.of(idem("key-0"), idem("key-" + (keys - 1))));
      assertThat(again).extracting(Receipt::duplicate).containsExactly(true, true);
      assertThat(again).extracting(Receipt::offset).containsExactly(0L, (long) keys - 1);
      assertThat(s.dedupeUsage()[1]).as("index heap").isLessThan(64 << 10);
    }
  }

  @Test
  void aDuplicateUnderOsReturnsTheOriginalReceipt() {
    try (FileStorage s = open(config(dir, clock).durability(Durability.OS))) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      Receipt original = s.append(TOPIC, List.of(idem("k"))).get(0);
      clock.advance(Duration.ofSeconds(1));
      assertThat(s.append(TOPIC, List.of(idem("k"))).get(0)).isEqualTo(original.asDuplicate());
    }
  }

  /** Keys accepted before a crash (kill -9: the process dies, the page cache stays) still count. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void idempotencyKeysSurviveACrash(Mode mode) {
    Receipt original;
    try (FileStorage s = open(in(mode))) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      original = s.append(TOPIC, List.of(idem("before"), idem("crash"))).get(1);
      s.abandon();
    }
    try (FileStorage s = open(in(mode))) {
      assertThat(s.append(TOPIC, List.of(idem("crash"))).get(0)).isEqualTo(original.asDuplicate());
      assertThat(s.append(TOPIC, List.of(idem("new"))).get(0).offset()).isEqualTo(2);
    }
  }

  /**
   * A record the log lost (its tail cut after a close, as by a power loss under OS) answers for its
   * key no more: a resend is appended.
   */
  @Test
  void aKeyWhoseRecordTheLogLostIsNotADuplicate() throws IOException {
    long oneRecord;
    FileStorageConfig.Builder os = config(dir, clock).durability(Durability.OS);
    try (FileStorage s = open(os)) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      s.append(TOPIC, List.of(idem("kept")));
    }
    oneRecord = Files.size(StoreFixture.log(dir));
    try (FileStorage s = open(os)) {
      s.append(TOPIC, List.of(idem("lost")));
    }
    try (FileChannel ch = FileChannel.open(StoreFixture.log(dir), StandardOpenOption.WRITE)) {
      ch.truncate(oneRecord);
    }
    try (FileStorage s = open(os)) {
      assertThat(s.append(TOPIC, List.of(idem("kept"))).get(0).duplicate()).isTrue();
      Receipt resent = s.append(TOPIC, List.of(idem("lost"))).get(0);
      assertThat(resent.duplicate()).isFalse();
      assertThat(resent.offset()).isEqualTo(1);
    }
  }

  /**
   * An index that cannot take a key whose record is already in the log fails the store (a retry
   * would otherwise be appended twice); the reopen puts the key back from the log.
   */
  @Test
  void anIndexThatCannotTakeAKeyFailsTheStoreAndTheReopenRecoversTheKey() {
    FaultyIo io = new FaultyIo();
    FileStorageConfig.Builder os = config(dir, clock).durability(Durability.OS);
    try (FileStorage s = open(os, io)) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      io.failOpen = p -> p.getFileName().toString().endsWith(".bucket.tmp");
      assertThatThrownBy(() -> s.append(TOPIC, List.of(idem("k"))))
          .isInstanceOf(StorageFailedException.class);
      assertThat(s.health().healthy()).isFalse();
    }
    try (FileStorage s = open(os)) {
      Receipt again = s.append(TOPIC, List.of(idem("k"))).get(0);
      assertThat(again.duplicate()).isTrue();
      assertThat(again.offset()).isZero();
    }
  }

  private Lease oneLease(FileStorage s) {
    return s.claim(ClaimRequest.of("g", TOPIC, 1, LEASE)).get(0);
  }

  /** A processed key whose ack returned survives a crash in every mode. */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void processedKeysSurviveACrash(Mode mode) {
    try (FileStorage s = open(in(mode))) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      StoreFixture.batch(s, 0, 2);
      s.ack("g", List.of(new Ack(oneLease(s).id(), "p-0")));
      s.abandon();
    }
    try (FileStorage s = open(in(mode))) {
      assertThat(s.isProcessed("g", TOPIC, "p-0")).isTrue();
      assertThat(s.isProcessed("g", TOPIC, "p-1")).isFalse();
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(1);
    }
  }

  /**
   * F3 under {@code SYNC}: a simulated power loss (every file cut to what its last force covered,
   * garbage after it) keeps the keys of every send and ack that returned.
   */
  @Test
  void syncKeepsIdempotencyAndProcessedKeysOnPowerLoss() throws IOException {
    FaultyIo io = new FaultyIo();
    Receipt original;
    FileStorage s = open(in(Mode.SYNC), io);
    s.createTopic(TOPIC, TopicConfig.partitions(1));
    original = s.append(TOPIC, List.of(idem("sent"))).get(0);
    StoreFixture.batch(s, 1, 3);
    s.ack("g", List.of(new Ack(oneLease(s).id(), "p-0")));
    s.ack("g", List.of(new Ack(oneLease(s).id(), "p-1")));
    s.abandon();
    io.losePower(new java.util.Random(3), 300);
    try (FileStorage after = open(in(Mode.SYNC))) {
      assertThat(after.append(TOPIC, List.of(idem("sent"))).get(0))
          .isEqualTo(original.asDuplicate());
      assertThat(after.isProcessed("g", TOPIC, "p-0")).isTrue();
      assertThat(after.isProcessed("g", TOPIC, "p-1")).isTrue();
      assertThat(after.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(2);
    }
  }

  /**
   * Compaction deletes the journal that held an ack's record: the key must be durable in its index
   * by then, so it survives a crash right after.
   */
  @Test
  void processedKeysSurviveCompactionThenACrash() {
    FileStorageConfig.Builder os = config(dir, clock).durability(Durability.OS);
    try (FileStorage s = open(os.stateJournalBytes(4096))) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      StoreFixture.batch(s, 0, 300);
      for (int i = 0; i < 300; i++) {
        s.ack("g", List.of(new Ack(oneLease(s).id(), "p-" + i)));
      }
      s.abandon();
    }
    try (FileStorage s = open(os)) {
      for (int i = 0; i < 300; i++) {
        assertThat(s.isProcessed("g", TOPIC, "p-" + i)).as("p-%d", i).isTrue();
      }
    }
  }

  /**
   * An ack whose journal record was lost (a torn last frame) records no processed key: the message
   * comes back and its key reads as not processed, so the handler runs again instead of skipping
   * it.
   */
  @Test
  void aLostAckRecordsNoProcessedKey() throws IOException {
    try (FileStorage s = open(in(Mode.SYNC))) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      StoreFixture.batch(s, 0, 2);
      s.ack("g", List.of(new Ack(oneLease(s).id(), "p-0")));
      s.ack("g", List.of(new Ack(oneLease(s).id(), "p-1")));
      s.abandon();
    }
    Path journal;
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      journal = files.filter(p -> p.toString().endsWith(".log")).max(Path::compareTo).orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
      f.setLength(f.length() - 3); // the last frame, the ack of offset 1, torn
    }
    try (FileStorage s = open(in(Mode.SYNC))) {
      assertThat(s.isProcessed("g", TOPIC, "p-0")).isTrue();
      assertThat(s.isProcessed("g", TOPIC, "p-1")).as("its ack was lost").isFalse();
      assertThat(oneLease(s).id().offset()).isEqualTo(1);
    }
  }
}
