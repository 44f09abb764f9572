package io.sluice.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Partitioner;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.MessageTooLargeException;
import io.sluice.spi.OutgoingMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppendPlanTest {
  private final TopicConfig config = TopicConfig.partitions(4).withMaxMessageBytes(100);
  private final AtomicInteger asked = new AtomicInteger();

  private int chooser() {
    asked.incrementAndGet();
    return 2;
  }

  private static OutgoingMessage keyed(String key, String idem) {
    return OutgoingMessage.of(Message.builder("x").key(key).idempotencyKey(idem).build());
  }

  @Test
  void assignsPartitionsByKeyExplicitlyAndUnkeyedToTheChosenOne() {
    List<OutgoingMessage> batch =
        List.of(
            OutgoingMessage.of(Message.of("a")),
            keyed("k", null),
            OutgoingMessage.toPartition(Message.of("b"), 3),
            OutgoingMessage.of(Message.of("c")));
    AppendPlan plan = AppendPlan.of("t", config, 4, this::chooser, batch);
    assertThat(plan.size()).isEqualTo(4);
    assertThat(plan.partition(0)).isEqualTo(2);
    assertThat(plan.partition(1)).isEqualTo(Partitioner.partition("k", 4));
    assertThat(plan.partition(2)).isEqualTo(3);
    assertThat(plan.partition(3)).isEqualTo(2);
    assertThat(asked).as("one partition for all unkeyed messages of a call").hasValue(1);
    assertThat(plan.hasIdempotencyKeys()).isFalse();
    assertThat(plan.repeatOf(0)).isEqualTo(-1);
  }

  @Test
  void keepsEachMessagesEncodedSize() {
    Message m = Message.builder("12345").key("ab").header("h", "vv").idempotencyKey("i").build();
    AppendPlan plan = AppendPlan.of("t", config, 4, this::chooser, List.of(OutgoingMessage.of(m)));
    assertThat(plan.encodedSize(0)).isEqualTo(Validation.encodedSize(m)).isEqualTo(5 + 2 + 3 + 1);
    assertThat(plan.singlePartition()).isTrue();
    assertThat(asked).as("keyed messages need no chooser").hasValue(0);
  }

  @Test
  void findsIdempotencyKeysRepeatedWithinTheCall() {
    List<OutgoingMessage> batch =
        List.of(keyed(null, "a"), keyed(null, "b"), keyed(null, "a"), keyed(null, null));
    AppendPlan plan = AppendPlan.of("t", config, 4, this::chooser, batch);
    assertThat(plan.hasIdempotencyKeys()).isTrue();
    assertThat(plan.repeatOf(0)).isEqualTo(-1);
    assertThat(plan.repeatOf(1)).isEqualTo(-1);
    assertThat(plan.repeatOf(2)).isZero();
    assertThat(plan.repeatOf(3)).isEqualTo(-1);
  }

  @Test
  void aBadMessageRejectsTheCallBeforeAPartitionIsChosen() {
    List<OutgoingMessage> tooBig =
        List.of(OutgoingMessage.of(Message.of("a")), OutgoingMessage.of(Message.of(new byte[101])));
    assertThatThrownBy(() -> AppendPlan.of("t", config, 4, this::chooser, tooBig))
        .isInstanceOf(MessageTooLargeException.class);
    List<OutgoingMessage> badPartition =
        List.of(
            OutgoingMessage.of(Message.of("a")), OutgoingMessage.toPartition(Message.of("b"), 4));
    assertThatThrownBy(() -> AppendPlan.of("t", config, 4, this::chooser, badPartition))
        .isInstanceOf(InvalidPartitionException.class);
    assertThat(asked).hasValue(0);
  }

  @Test
  void anEmptyCallIsOnePartitionWithNothingToChoose() {
    AppendPlan plan = AppendPlan.of("t", config, 4, this::chooser, List.of());
    assertThat(plan.size()).isZero();
    assertThat(plan.singlePartition()).isTrue();
    assertThat(asked).hasValue(0);
  }
}
