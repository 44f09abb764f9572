package io.sluice.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written with group-state format version 2 ({@code src/test/resources/format/v2/store})
 * must still open with its state exact: a snapshot (written by a clean close) and a journal after
 * it (left by a simulated crash) holding every version 2 record type, plus the dedupe indexes. The
 * bytes of its state files are checked record by record by {@code StateCodecGoldenTest}. Generate a
 * new one only for a new format version, with {@link #main}.
 */
class GoldenFormatV2Test {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir Path tmp;

  /** Writes the golden store into {@code args[0]} (only for a new format version). */
  public static void main(String[] args) {
    write(Path.of(args[0]));
  }

  private static OutgoingMessage to(int partition, Message m) {
    return OutgoingMessage.toPartition(m, partition);
  }

  static void write(Path dir) {
    SettableClock clock = new SettableClock(T0);
    FileStorageConfig config = FileStorageConfig.builder(dir).clock(clock).build();
    try (FileStorage s = FileStorage.open(config)) {
      s.createTopic("golden", TopicConfig.partitions(2).withDedupeWindow(Duration.ofDays(3650)));
      s.append(
          "golden",
          List.of(
              to(0, Message.of("plain")),
              to(0, Message.builder("idempotent").idempotencyKey("order-42/paid").build()),
              to(0, Message.builder("keyed").key("customer-7").build())));
      s.append("golden", List.of(to(1, Message.of("p1"))));
      List<Lease> g = s.claim(ClaimRequest.of("g", "golden", 2, LEASE));
      s.ack("g", List.of(new Ack(g.get(0).id(), "done-0"), Ack.of(g.get(1).id())));
      s.seek("h", "golden", 1, Position.offset(1));
    }
    clock.advance(Duration.ofSeconds(30));
    FileStorage s = FileStorage.open(config);
    s.createTopic("orders", TopicConfig.partitions(1).withDedupeWindow(Duration.ofDays(3650)));
    List<OutgoingMessage> orders = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      orders.add(to(0, Message.of("o" + i)));
    }
    s.append("orders", orders);
    List<Lease> k = s.claim(ClaimRequest.of("k", "orders", 4, LEASE));
    s.markStarted(new StartRequest("k", List.of(k.get(0).id())));
    s.release(new ReleaseRequest("k", k.get(1).id(), Duration.ofHours(1), true));
    s.ack("k", List.of(new Ack(k.get(2).id(), "orders-2")));
    s.append("golden", List.of(to(0, Message.builder("after").idempotencyKey("order-43").build())));
    s.abandon(); // the journal keeps the second session's records, as after a crash
  }

  @Test
  void formatV2StoreStillOpensWithItsStateExact() throws IOException, URISyntaxException {
    Path golden = Path.of(getClass().getResource("/format/v2/store").toURI());
    Path dir = tmp.resolve("store");
    StoreFixture.copy(golden, dir);
    SettableClock clock = new SettableClock(T0.plus(Duration.ofMinutes(5)));
    try (FileStorage s = FileStorage.open(FileStorageConfig.builder(dir).clock(clock).build())) {
      assertThat(s.read("golden", 0, 0, 10))
          .extracting(m -> m.message().payloadAsString())
          .containsExactly("plain", "idempotent", "keyed", "after");
      assertThat(s.groupState("g", "golden"))
          .extracting(GroupPartition::committedOffset)
          .containsExactly(1L, 1L);
      assertThat(s.groupState("h", "golden").get(1).committedOffset()).isEqualTo(1);
      assertThat(s.isProcessed("g", "golden", "done-0")).isTrue();
      assertThat(s.isProcessed("k", "orders", "orders-2")).as("from the journal").isTrue();
      List<Receipt> dup =
          s.append(
              "golden",
              List.of(
                  to(1, Message.builder("x").idempotencyKey("order-42/paid").build()),
                  to(1, Message.builder("y").idempotencyKey("order-43").build())));
      assertThat(dup).extracting(Receipt::duplicate).containsExactly(true, true);
      assertThat(dup).extracting(Receipt::offset).containsExactly(1L, 3L);
      GroupPartition k = s.groupState("k", "orders").get(0);
      assertThat(k.committedOffset()).isZero();
      assertThat(k.lag()).as("offset 2 acked out of order").isEqualTo(5);
      Map<Long, Integer> attempts = new TreeMap<>();
      List<Lease> leases = s.claim(ClaimRequest.of("k", "orders", 10, LEASE));
      for (Lease l : leases) {
        attempts.put(l.id().offset(), l.attempt());
      }
      s.ack("k", leases.stream().map(l -> Ack.of(l.id())).toList());
      assertThat(attempts)
          .as("0 started before the crash; 1 waits for its retry; 2 is done")
          .containsExactly(Map.entry(0L, 2), Map.entry(3L, 1), Map.entry(4L, 1), Map.entry(5L, 1));
      clock.advance(Duration.ofHours(1));
      Lease retry = s.claim(ClaimRequest.of("k", "orders", 10, LEASE)).get(0);
      assertThat(retry.id().offset()).isEqualTo(1);
      assertThat(retry.attempt()).isEqualTo(2);
      s.ack("k", List.of(Ack.of(retry.id())));
      assertThat(s.groupState("k", "orders").get(0).committedOffset()).isEqualTo(6);
    }
    assertThat(Files.exists(golden.resolve("state"))).isTrue();
  }
}
