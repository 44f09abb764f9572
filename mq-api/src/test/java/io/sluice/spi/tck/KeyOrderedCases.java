package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.ReleaseRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KEY_ORDERED: one message of a key in flight at a time, in offset order. */
abstract class KeyOrderedCases extends ContractCase {
  KeyOrderedCases(StorageContract contract) {
    super(contract);
  }

  private String orderedTopic() {
    String t = topic(1);
    store()
        .append(
            t,
            List.of(
                OutgoingMessage.toPartition(keyed("k1", "a"), 0),
                OutgoingMessage.toPartition(keyed("k1", "b"), 0),
                OutgoingMessage.toPartition(keyed("k2", "c"), 0),
                OutgoingMessage.toPartition(msg("d"), 0),
                OutgoingMessage.toPartition(msg("e"), 0),
                OutgoingMessage.toPartition(keyed("k2", "f"), 0)));
    return t;
  }

  private ClaimRequest ordered(String g, String t) {
    return ClaimRequest.of(g, t, 10, LEASE).withOrdering(Ordering.KEY_ORDERED);
  }

  @Test
  void aKeyHasOneMessageInFlightWhileOtherKeysAndUnkeyedMessagesFlow() {
    String t = orderedTopic();
    String g = name("g");
    List<Lease> first = claim(ordered(g, t));
    assertThat(payloads(first)).containsExactly("a", "c", "d", "e");
    assertThat(claim(ordered(g, t))).isEmpty();
    ackOk(g, first.get(0));
    assertThat(payloads(claim(ordered(g, t)))).containsExactly("b");
    ackOk(g, first.get(1));
    assertThat(payloads(claim(ordered(g, t)))).containsExactly("f");
  }

  @Test
  void aRetryHoldsBackTheLaterMessagesOfItsKey() {
    String t = orderedTopic();
    String g = name("g");
    List<Lease> first = claim(ordered(g, t));
    store().release(new ReleaseRequest(g, first.get(0).id(), Duration.ofSeconds(10), true));
    assertThat(claim(ordered(g, t))).as("b waits for a's retry").isEmpty();
    clock().advance(Duration.ofSeconds(10));
    Lease retry = claim(ordered(g, t)).get(0);
    assertThat(payloads(List.of(retry))).containsExactly("a");
    assertThat(retry.attempt()).isEqualTo(2);
    ackOk(g, retry);
    assertThat(payloads(claim(ordered(g, t)))).containsExactly("b");
  }

  @Test
  void anExpiredLeaseOfAKeyIsRedeliveredBeforeItsLaterMessages() {
    String t = orderedTopic();
    String g = name("g");
    claim(ordered(g, t));
    clock().advance(LEASE.plusMillis(1));
    assertThat(payloads(claim(ordered(g, t)))).containsExactly("a", "c", "d", "e");
  }

  @Test
  void theEmptyKeyIsAKeyButNoKeyIsUnordered() {
    String t = topic(1);
    Message empty1 = keyed("", "x1");
    Message empty2 = keyed("", "x2");
    store()
        .append(
            t,
            List.of(
                OutgoingMessage.toPartition(empty1, 0),
                OutgoingMessage.toPartition(empty2, 0),
                OutgoingMessage.toPartition(msg("n1"), 0),
                OutgoingMessage.toPartition(msg("n2"), 0)));
    assertThat(payloads(claim(ordered(name("g"), t)))).containsExactly("x1", "n1", "n2");
  }

  @Test
  void unorderedClaimsIgnoreKeys() {
    String t = orderedTopic();
    assertThat(payloads(claim(name("g"), t, 10))).containsExactly("a", "b", "c", "d", "e", "f");
  }

  @Test
  void aKeyWaitingForARetryHoldsBackOnlyItsOwnMessagesHoweverManyFollow() {
    String t = topic(1);
    List<OutgoingMessage> batch = new java.util.ArrayList<>();
    for (int i = 0; i <= 2_000; i++) {
      batch.add(OutgoingMessage.toPartition(keyed("A", "A-" + i), 0));
    }
    batch.add(OutgoingMessage.toPartition(keyed("B", "B-0"), 0));
    store().append(t, batch);
    String g = name("g");
    List<Lease> first = claim(ordered(g, t));
    assertThat(payloads(first)).containsExactly("A-0", "B-0");
    store().release(new ReleaseRequest(g, first.get(0).id(), Duration.ofHours(1), true));
    ackOk(g, first.get(1));
    store()
        .append(
            t,
            List.of(
                OutgoingMessage.toPartition(keyed("B", "B-1"), 0),
                OutgoingMessage.toPartition(keyed("C", "C-0"), 0),
                OutgoingMessage.toPartition(msg("unkeyed"), 0)));
    List<Lease> others = claim(ordered(g, t));
    assertThat(payloads(others))
        .as("2,000 held-back messages of A must not starve B, C and unkeyed messages")
        .containsExactly("B-1", "C-0", "unkeyed");
    assertThat(claim(ordered(g, t))).isEmpty();
    others.forEach(l -> ackOk(g, l));
    clock().advance(Duration.ofHours(1));
    assertThat(payloads(claim(ordered(g, t)))).containsExactly("A-0");
  }
}
