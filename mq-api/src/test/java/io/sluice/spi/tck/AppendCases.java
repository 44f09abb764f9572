package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.api.Partitioner;
import io.sluice.api.Receipt;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Append: dense offsets in batch order, partitioning, contiguous batches, stored fields. */
abstract class AppendCases extends ContractCase {
  AppendCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void offsetsAreDenseFromZeroInBatchOrderAcrossCalls() {
    String t = topic(1);
    List<Receipt> first = send(t, msg("a"), msg("b"), msg("c"));
    List<Receipt> second = send(t, msg("d"), msg("e"));
    assertThat(first).extracting(Receipt::offset).containsExactly(0L, 1L, 2L);
    assertThat(second).extracting(Receipt::offset).containsExactly(3L, 4L);
    assertThat(first).allSatisfy(r -> assertThat(r.duplicate()).isFalse());
    assertThat(readAll(t, 0))
        .extracting(m -> m.message().payloadAsString())
        .containsExactly("a", "b", "c", "d", "e");
    assertThat(readAll(t, 0)).extracting(StoredMessage::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void everyFieldRoundTripsAndTheStoreClockStampsMissingTimestamps() {
    String t = topic(1);
    Instant given = Instant.parse("2020-05-06T07:08:09.123456Z");
    Message full =
        Message.builder(new byte[] {0, 1, 2, (byte) 0xff})
            .key("k")
            .header("a", "1")
            .header("b", "😀 ünïcode")
            .header("a", "2")
            .timestamp(given)
            .idempotencyKey("idem-1")
            .deliverAt(Instant.parse("2026-01-01T00:00:00Z"))
            .build();
    clock().advance(Duration.ofSeconds(7));
    List<Receipt> receipts = send(t, full, msg("plain"));
    List<StoredMessage> stored = readAll(t, 0);
    assertThat(stored.get(0).message()).isEqualTo(full);
    assertThat(stored.get(0).message().headers().asList())
        .isEqualTo(Headers.of("a", "1", "b", "😀 ünïcode", "a", "2").asList());
    assertThat(receipts.get(0).timestamp()).isEqualTo(given);
    assertThat(stored.get(1).message().timestamp()).isEqualTo(now());
    assertThat(receipts.get(1).timestamp()).isEqualTo(now());
    assertThat(stored.get(1).topic()).isEqualTo(t);
    assertThat(stored.get(1).partition()).isZero();
  }

  @Test
  void keyedMessagesGoWhereThePartitionerSaysAndOneKeyStaysInOnePartition() {
    String t = topic(5);
    for (int i = 0; i < 20; i++) {
      String key = "key-" + i;
      Receipt r1 = send(t, keyed(key, "x")).get(0);
      Receipt r2 = send(t, keyed(key, "y")).get(0);
      assertThat(r1.partition()).as(key).isEqualTo(Partitioner.partition(key, 5));
      assertThat(r2.partition()).as(key).isEqualTo(r1.partition());
      assertThat(r2.offset()).isGreaterThan(r1.offset());
    }
  }

  @Test
  void unkeyedCallsSpreadOverEveryPartitionFairly() {
    String t = topic(4);
    int[] counts = new int[4];
    for (int i = 0; i < 40; i++) {
      counts[send(t, msg("m" + i)).get(0).partition()]++;
    }
    for (int p = 0; p < 4; p++) {
      assertThat(counts[p]).as("messages in partition %d of 40 over 4", p).isBetween(5, 15);
    }
  }

  @Test
  void theUnkeyedMessagesOfOneCallLandInOnePartitionContiguously() {
    String t = topic(3);
    for (int call = 0; call < 6; call++) {
      List<Receipt> r = send(t, msg("a"), msg("b"), msg("c"), msg("d"));
      assertThat(r).extracting(Receipt::partition).containsOnly(r.get(0).partition());
      long base = r.get(0).offset();
      assertThat(r).extracting(Receipt::offset).containsExactly(base, base + 1, base + 2, base + 3);
    }
  }

  @Test
  void aMixedBatchGetsConsecutiveOffsetsPerPartitionInBatchOrder() {
    String t = topic(3);
    List<OutgoingMessage> batch = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      batch.add(OutgoingMessage.toPartition(msg("m" + i), i % 3));
    }
    List<Receipt> r = store().append(t, batch);
    for (int i = 0; i < 12; i++) {
      assertThat(r.get(i).partition()).isEqualTo(i % 3);
      assertThat(r.get(i).offset()).isEqualTo(i / 3);
    }
    assertThat(store().describeTopic(t).partitions())
        .extracting(PartitionInfo::endOffset)
        .containsExactly(4L, 4L, 4L);
  }

  @Test
  void concurrentCallsEachGetAContiguousRunOfOffsets() throws Exception {
    String t = topic(1);
    List<Callable<List<List<Receipt>>>> senders = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      senders.add(
          () -> {
            List<List<Receipt>> calls = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
              calls.add(send(t, msg("a"), msg("b"), msg("c"), msg("d"), msg("e")));
            }
            return calls;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<Long, Integer> seen = new HashMap<>();
    try {
      for (Future<List<List<Receipt>>> f : pool.invokeAll(senders)) {
        for (List<Receipt> call : f.get()) {
          long base = call.get(0).offset();
          for (int i = 0; i < call.size(); i++) {
            assertThat(call.get(i).offset()).isEqualTo(base + i);
            assertThat(seen.put(call.get(i).offset(), 1)).as("offset reused").isNull();
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).hasSize(200);
    assertThat(readAll(t, 0)).hasSize(200);
  }

  @Test
  void anExplicitPartitionBypassesTheKeyHash() {
    String t = topic(4);
    String key = "route-me";
    int other = (Partitioner.partition(key, 4) + 1) % 4;
    assertThat(sendTo(t, other, keyed(key, "x")).partition()).isEqualTo(other);
    assertThat(readAll(t, other)).hasSize(1);
  }

  @Test
  void anEmptyBatchReturnsNoReceiptsAndAppendsNothing() {
    String t = topic(2);
    assertThat(store().append(t, List.of())).isEmpty();
    assertThat(store().describeTopic(t).partitions())
        .extracting(PartitionInfo::endOffset)
        .containsOnly(0L);
  }

  @Test
  void aBatchSpanningPartitionsIsStoredWhole() {
    String t = topic(4);
    List<Receipt> r = send(t, keyed("a", "1"), keyed("b", "2"), keyed("c", "3"), keyed("d", "4"));
    for (Receipt receipt : r) {
      StoredMessage m = store().read(t, receipt.partition(), receipt.offset(), 1).get(0);
      assertThat(m.offset()).isEqualTo(receipt.offset());
    }
    assertThat(r).hasSize(4);
  }
}
