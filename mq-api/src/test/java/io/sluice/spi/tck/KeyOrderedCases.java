package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
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
    store().release(g, first.get(0).id(), now().plusSeconds(10), true);
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
}
