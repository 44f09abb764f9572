package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * F16, the sequence-gap trap: a producer transaction that took a lower offset commits after later
 * messages were produced and consumed. Its message must still be delivered, and a long open
 * transaction on one partition must not stall producers or consumers of another.
 */
final class SequenceGapCases {
  private SequenceGapCases() {}

  static void lowerOffsetCommittedLateIsStillDelivered(JdbcStorage store, Connection producerA)
      throws Exception {
    Duration lease = Duration.ofSeconds(30);
    store.createTopic("gap", TopicConfig.partitions(2));
    producerA.setAutoCommit(false);
    Receipt a =
        store
            .transactionalSend()
            .sendAll(producerA, "gap", List.of(OutgoingMessage.toPartition(Message.of("A"), 0)))
            .get(0);
    assertThat(a.offset()).isZero();

    // B produces to the same partition while A is open: it gets the next offset only after A ends.
    CompletableFuture<Receipt> b =
        CompletableFuture.supplyAsync(
            () ->
                store
                    .append("gap", List.of(OutgoingMessage.toPartition(Message.of("B"), 0)))
                    .get(0));
    // Meanwhile partition 1 is not stalled: explicit and unkeyed sends complete and are consumed.
    Receipt c =
        store.append("gap", List.of(OutgoingMessage.toPartition(Message.of("C"), 1))).get(0);
    Receipt d = store.append("gap", List.of(OutgoingMessage.of(Message.of("D")))).get(0);
    assertThat(d.partition()).as("unkeyed send skips the partition held by A").isEqualTo(1);
    List<Lease> early = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              early.addAll(store.claim(ClaimRequest.of("g", "gap", 10, lease)));
              return early.size() >= 2;
            });
    assertThat(early)
        .extracting(l -> l.message().message().payloadAsString())
        .containsExactly("C", "D");
    store.ack("g", early.stream().map(l -> Ack.of(l.id())).toList());
    assertThat(c.partition()).isEqualTo(1);
    assertThat(b).as("B waits for A's counter row").isNotDone();
    assertThat(store.groupState("g", "gap").get(0).committedOffset())
        .as("the committed offset never passes A's uncommitted message")
        .isZero();

    producerA.commit();
    Receipt bReceipt = b.get();
    assertThat(bReceipt.offset()).isEqualTo(1);
    List<Lease> late = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              late.addAll(store.claim(ClaimRequest.of("g", "gap", 10, lease)));
              return late.size() >= 2;
            });
    assertThat(late)
        .extracting(l -> l.message().message().payloadAsString())
        .containsExactly("A", "B");
    store.ack("g", late.stream().map(l -> Ack.of(l.id())).toList());
    assertThat(store.groupState("g", "gap").get(0).committedOffset()).isEqualTo(2);
  }
}
