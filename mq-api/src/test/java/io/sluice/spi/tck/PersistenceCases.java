package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.UnsupportedCapabilityException;
import io.sluice.spi.Ack;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State across close and reopen. On a backend that is not persistent each case asserts that its
 * capabilities say so and that the suite's {@code reopen} refuses, which is the documented
 * behaviour.
 */
abstract class PersistenceCases extends ContractCase {
  PersistenceCases(StorageContract contract) {
    super(contract);
  }

  /** Whether the store is persistent; if not, asserts the documented behaviour of that. */
  private boolean persistent() {
    if (store().capabilities().persistent()) {
      return true;
    }
    assertThatThrownBy(() -> contract().reopen(store(), clock()))
        .as("reopen of a store that is not persistent")
        .isInstanceOf(UnsupportedCapabilityException.class);
    return false;
  }

  @Test
  void topicsAndMessagesSurviveReopen() {
    if (!persistent()) {
      return;
    }
    String t = topic(TopicConfig.partitions(2).withDedupeWindow(Duration.ofMinutes(7)));
    sendTo(t, 1, Message.builder("a").key("k").header("h", "v").idempotencyKey("i").build());
    sendTo(t, 1, msg("b"));
    TopicInfo before = store().describeTopic(t);
    List<StoredMessage> messages = readAll(t, 1);
    contract().reopenCurrent();
    assertThat(store().describeTopic(t)).isEqualTo(before);
    assertThat(readAll(t, 1)).isEqualTo(messages);
    assertThat(sendTo(t, 1, msg("c")).offset()).isEqualTo(2);
  }

  @Test
  void committedOffsetsDoneMarksAndAttemptsSurviveReopen() {
    if (!persistent()) {
      return;
    }
    String t = topic(1);
    fill(t, 0, 4);
    String g = name("g");
    List<Lease> l = claim(g, t, 4);
    started(g, l.get(1));
    ackOk(g, l.get(0));
    ackOk(g, l.get(2));
    contract().reopenCurrent();
    assertThat(committed(g, t, 0)).isEqualTo(1);
    clock().advance(LEASE.plusSeconds(1));
    List<Lease> again = claim(g, t, 10);
    assertThat(offsets(again)).containsExactly(1L, 3L);
    assertThat(again)
        .as("offset 1 was started, offset 3 only claimed")
        .extracting(Lease::attempt)
        .containsExactly(2, 1);
    assertThat(store().listGroups(t)).containsExactly(g);
  }

  @Test
  void dedupeKeysSurviveReopen() {
    if (!persistent()) {
      return;
    }
    String t = topic(1);
    Receipt original = send(t, Message.builder("a").idempotencyKey("k").build()).get(0);
    contract().reopenCurrent();
    Receipt again = send(t, Message.builder("b").idempotencyKey("k").build()).get(0);
    assertThat(again).isEqualTo(original.asDuplicate());
  }

  @Test
  void processedKeysSurviveReopen() {
    if (!persistent()) {
      return;
    }
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    store().ack(g, List.of(new Ack(claim(g, t, 1).get(0).id(), "done-1")));
    contract().reopenCurrent();
    assertThat(store().isProcessed(g, t, "done-1")).isTrue();
  }
}
