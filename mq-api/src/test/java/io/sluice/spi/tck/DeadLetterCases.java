package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.TopicInfo;
import org.junit.jupiter.api.Test;

/** Dead letters: append to the DLQ (created if missing), then ack; stale deliveries rejected. */
abstract class DeadLetterCases extends ContractCase {
  DeadLetterCases(StorageContract contract) {
    super(contract);
  }

  private static Message dead(Lease l) {
    return l.message().message().toBuilder().header("x-sluice-error", "boom").build();
  }

  @Test
  void deadLetterCreatesTheTopicWithOnePartitionAppendsAndAcks() {
    String t = topic(2);
    sendTo(t, 1, keyed("k", "poison"));
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    String dlq = t + ".dlq";
    Receipt r = store().deadLetter(new DeadLetterRequest(g, l.id(), dlq, dead(l)));
    assertThat(r.topic()).isEqualTo(dlq);
    assertThat(r.offset()).isZero();
    TopicInfo info = store().describeTopic(dlq);
    assertThat(info.partitions()).hasSize(1);
    Message stored = store().read(dlq, 0, 0, 1).get(0).message();
    assertThat(stored.payloadAsString()).isEqualTo("poison");
    assertThat(stored.key()).isEqualTo("k");
    assertThat(stored.headers().lastValue("x-sluice-error")).contains("boom");
    assertThat(committed(g, t, 1)).isEqualTo(1);
    clock().advance(LEASE.plusSeconds(1));
    assertThat(claim(g, t, 1)).as("a dead-lettered delivery is done").isEmpty();
  }

  @Test
  void deadLetterIntoAnExistingTopicKeepsItsConfig() {
    String t = topic(1);
    String dlq = topic(3);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    store().deadLetter(new DeadLetterRequest(g, l.id(), dlq, dead(l)));
    assertThat(store().describeTopic(dlq).partitions()).hasSize(3);
  }

  @Test
  void aStaleDeadLetterThrowsAndAppendsNothing() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    clock().advance(LEASE.plusMillis(1));
    String dlq = name("dlq");
    assertThatThrownBy(() -> store().deadLetter(new DeadLetterRequest(g, l.id(), dlq, dead(l))))
        .isInstanceOf(StaleDeliveryException.class);
    assertThatThrownBy(() -> store().describeTopic(dlq)).isInstanceOf(TopicNotFoundException.class);
    assertThat(claim(g, t, 1)).hasSize(1);
  }

  @Test
  void deadLetteringAnAckedDeliveryThrowsAndAppendsNothing() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    ackOk(g, l);
    String dlq = topic(1);
    assertThatThrownBy(() -> store().deadLetter(new DeadLetterRequest(g, l.id(), dlq, dead(l))))
        .isInstanceOf(StaleDeliveryException.class);
    assertThat(readAll(dlq, 0)).isEmpty();
  }
}
