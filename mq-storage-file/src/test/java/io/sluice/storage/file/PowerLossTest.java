package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.tck.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F3: simulated power loss. The fault seam remembers how much of each file its last force covered;
 * the "crash" abandons the store mid-traffic and cuts every file back to that, plus random garbage.
 * Under {@code SYNC} no receipted message and no acked progress may be lost.
 */
class PowerLossTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock();
  final Random random = new Random();

  @Test
  void syncLosesNoReceiptedMessageNorAckedProgressOnPowerLoss() throws Exception {
    int filesCut = 0;
    for (int round = 0; round < 3; round++) {
      FaultyIo io = new FaultyIo();
      Map<Long, Receipt> receipts = new ConcurrentHashMap<>();
      long committedBefore;
      FileStorage s = open(config(dir, clock).segmentBytes(8192), io);
      s.createTopic(TOPIC, TopicConfig.partitions(2));
      committedBefore = consume(s, round);
      AtomicLong ids = new AtomicLong(round * 1_000_000L);
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        senders.add(Thread.ofPlatform().start(() -> send(s, ids, receipts)));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> receipts.size() > 200);
      s.abandon();
      for (Thread t : senders) {
        t.join();
      }
      filesCut += io.losePower(random, 300);
      try (FileStorage after = open(config(dir, clock).segmentBytes(8192))) {
        verify(after, receipts);
        long committed = after.groupState("g", TOPIC).get(0).committedOffset();
        assertThat(committed).as("acked progress survives").isGreaterThanOrEqualTo(committedBefore);
      }
    }
    assertThat(filesCut).as("the simulated power loss dropped unforced data").isPositive();
  }

  /** Under {@code SYNC} a start mark is forced before markStarted returns, like an ack. */
  @Test
  void syncKeepsStartMarksOnPowerLoss() throws Exception {
    FaultyIo io = new FaultyIo();
    FileStorage s = open(config(dir, clock), io);
    s.createTopic(TOPIC, TopicConfig.partitions(1));
    for (int i = 0; i < 4; i++) {
      s.append(TOPIC, List.of(OutgoingMessage.of(Message.of("m" + i))));
    }
    List<Lease> leases = s.claim(ClaimRequest.of("g", TOPIC, 4, Duration.ofMinutes(5)));
    s.markStarted(new StartRequest("g", List.of(leases.get(0).id(), leases.get(1).id())));
    s.abandon();
    io.losePower(random, 300);
    try (FileStorage after = open(config(dir, clock))) {
      List<Lease> again = after.claim(ClaimRequest.of("g", TOPIC, 4, Duration.ofMinutes(5)));
      assertThat(again).extracting(Lease::attempt).containsExactly(2, 2, 1, 1);
    }
  }

  /** Acks a few messages of partition 0 (durably, under SYNC); returns the committed offset. */
  private long consume(FileStorage s, int round) {
    List<Lease> leases = s.claim(ClaimRequest.of("g", TOPIC, 20, Duration.ofMinutes(5)));
    List<Ack> acks =
        leases.stream().filter(l -> l.id().partition() == 0).map(l -> Ack.of(l.id())).toList();
    s.ack("g", acks);
    return s.groupState("g", TOPIC).get(0).committedOffset();
  }

  private static void send(FileStorage s, AtomicLong ids, Map<Long, Receipt> receipts) {
    try {
      while (true) {
        long id = ids.getAndIncrement();
        Message m = Message.builder("id:" + id).key("k" + id % 3).build();
        receipts.put(id, s.append(TOPIC, List.of(OutgoingMessage.of(m))).get(0));
      }
    } catch (RuntimeException expected) {
      // the store was abandoned under the sender
    }
  }

  private static void verify(FileStorage s, Map<Long, Receipt> receipts) {
    Map<String, String> at = new ConcurrentHashMap<>();
    for (int p = 0; p < 2; p++) {
      long end = s.describeTopic(TOPIC).partitions().get(p).endOffset();
      List<StoredMessage> all = end == 0 ? List.of() : s.read(TOPIC, p, 0, (int) end);
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).offset()).isEqualTo(i);
        at.put(p + "/" + i, all.get(i).message().payloadAsString());
      }
    }
    receipts.forEach(
        (id, r) ->
            assertThat(at.get(r.partition() + "/" + r.offset()))
                .as("receipted id %d", id)
                .isEqualTo("id:" + id));
  }
}
