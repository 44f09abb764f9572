package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Delayed delivery: a message is not claimable before its deliverAt. */
abstract class DelayedCases extends ContractCase {
  DelayedCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void aDelayedMessageIsHiddenUntilItsTimeButReadable() {
    String t = topic(1);
    sendTo(t, 0, Message.builder("later").deliverAt(now().plusSeconds(60)).build());
    String g = name("g");
    assertThat(claim(g, t, 1)).isEmpty();
    assertThat(store().read(t, 0, 0, 1)).hasSize(1);
    clock().advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(claim(g, t, 1)).isEmpty();
    clock().advance(Duration.ofMillis(1));
    assertThat(payloads(claim(g, t, 1))).containsExactly("later");
  }

  @Test
  void aDelayedMessageDoesNotHoldBackLaterOnesButHoldsTheCommittedOffset() {
    String t = topic(1);
    sendTo(t, 0, Message.builder("later").deliverAt(now().plusSeconds(60)).build());
    sendTo(t, 0, msg("now"));
    String g = name("g");
    ackOk(g, claim(g, t, 10).get(0));
    assertThat(committed(g, t, 0)).isZero();
    clock().advance(Duration.ofSeconds(60));
    ackOk(g, claim(g, t, 10).get(0));
    assertThat(committed(g, t, 0)).isEqualTo(2);
  }

  @Test
  void aDeliverAtInThePastIsDeliveredAtOnce() {
    String t = topic(1);
    sendTo(t, 0, Message.builder("past").deliverAt(now().minusSeconds(3600)).build());
    assertThat(payloads(claim(name("g"), t, 1))).containsExactly("past");
  }
}
