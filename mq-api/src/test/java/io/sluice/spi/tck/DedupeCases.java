package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.MessageTooLargeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Producer dedupe of idempotency keys, per topic, within the topic's window. */
abstract class DedupeCases extends ContractCase {
  DedupeCases(StorageContract contract) {
    super(contract);
  }

  static Message idem(String key, String payload) {
    return Message.builder(payload).idempotencyKey(key).build();
  }

  @Test
  void aRepeatedKeyReturnsTheOriginalReceiptMarkedDuplicateAndAppendsNothing() {
    String t = topic(1);
    Receipt original = send(t, idem("k", "first")).get(0);
    clock().advance(Duration.ofMinutes(1));
    Receipt again = send(t, idem("k", "second")).get(0);
    assertThat(again.duplicate()).isTrue();
    assertThat(again).isEqualTo(original.asDuplicate());
    assertThat(readAll(t, 0))
        .extracting(m -> m.message().payloadAsString())
        .containsExactly("first");
  }

  @Test
  void aKeyRepeatedWithinOneCallGetsTheFirstReceipt() {
    String t = topic(1);
    List<Receipt> r = send(t, idem("k", "a"), msg("b"), idem("k", "c"));
    assertThat(r.get(2)).isEqualTo(r.get(0).asDuplicate());
    assertThat(r.get(1).offset()).isEqualTo(1);
    assertThat(readAll(t, 0)).hasSize(2);
  }

  @Test
  void aKeyIsForgottenAfterTheTopicsDedupeWindow() {
    String t = topic(TopicConfig.partitions(1).withDedupeWindow(Duration.ofMinutes(10)));
    send(t, idem("k", "first"));
    clock().advance(Duration.ofMinutes(10).minusSeconds(1));
    assertThat(send(t, idem("k", "within")).get(0).duplicate()).isTrue();
    clock().advance(Duration.ofSeconds(2));
    Receipt after = send(t, idem("k", "after")).get(0);
    assertThat(after.duplicate()).isFalse();
    assertThat(after.offset()).isEqualTo(1);
  }

  @Test
  void aKeyIsForgottenByEnforceRetentionAfterTheWindow() {
    String t = topic(TopicConfig.partitions(1).withDedupeWindow(Duration.ofMinutes(10)));
    send(t, idem("k", "first"));
    clock().advance(Duration.ofMinutes(11));
    store().enforceRetention();
    assertThat(send(t, idem("k", "after")).get(0).duplicate()).isFalse();
  }

  @Test
  void dedupeSpansThePartitionsOfATopic() {
    String t = topic(3);
    Receipt original = sendTo(t, 0, idem("k", "a"));
    Receipt again = sendTo(t, 2, idem("k", "b"));
    assertThat(again).isEqualTo(original.asDuplicate());
    assertThat(readAll(t, 2)).isEmpty();
  }

  @Test
  void dedupeIsPerTopicNotGlobal() {
    String t1 = topic(1);
    String t2 = topic(1);
    send(t1, idem("k", "a"));
    Receipt other = send(t2, idem("k", "b")).get(0);
    assertThat(other.duplicate()).isFalse();
    assertThat(other.topic()).isEqualTo(t2);
  }

  @Test
  void aRejectedBatchRecordsNoKeys() {
    String t = topic(TopicConfig.partitions(1).withMaxMessageBytes(100));
    Message big = Message.builder(bytes(200)).build();
    assertThatThrownBy(() -> send(t, idem("k", "a"), big))
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(send(t, idem("k", "a")).get(0).duplicate()).isFalse();
  }
}
