package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.MessageTooLargeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageTest {
  private static final Instant T = Instant.parse("2026-03-04T05:06:07Z");

  private static Message full() {
    return Message.builder("body")
        .key("k")
        .header("a", "1")
        .header("a", "2")
        .timestamp(T)
        .idempotencyKey("id-1")
        .deliverAt(T.plusSeconds(60))
        .build();
  }

  @Test
  void theBuilderSetsEveryField() {
    Message m = full();
    assertThat(m.payloadAsString()).isEqualTo("body");
    assertThat(m.key()).isEqualTo("k");
    assertThat(m.headers()).isEqualTo(Headers.of("a", "1", "a", "2"));
    assertThat(m.timestamp()).isEqualTo(T);
    assertThat(m.idempotencyKey()).isEqualTo("id-1");
    assertThat(m.deliverAt()).isEqualTo(T.plusSeconds(60));
  }

  @Test
  void ofGivesAPlainMessage() {
    Message m = Message.of("x");
    assertThat(m.payload()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    assertThat(m.key()).isNull();
    assertThat(m.headers().isEmpty()).isTrue();
    assertThat(m.timestamp()).isNull();
    assertThat(m.idempotencyKey()).isNull();
    assertThat(m.deliverAt()).isNull();
    assertThat(new Message(new byte[0], null, null, null, null, null).headers())
        .isSameAs(Headers.empty());
  }

  @Test
  void equalityComparesPayloadsByContent() {
    assertThat(full()).isEqualTo(full());
    assertThat(full()).hasSameHashCodeAs(full());
    assertThat(Message.of(new byte[] {1, 2})).isEqualTo(Message.of(new byte[] {1, 2}));
    assertThat(Message.of(new byte[] {1, 2})).isNotEqualTo(Message.of(new byte[] {2, 1}));
    assertThat(full()).isNotEqualTo(full().toBuilder().key("other").build());
    assertThat(full()).isNotEqualTo(full().withTimestamp(T.plusMillis(1)));
    assertThat(full()).isNotEqualTo(full().toBuilder().idempotencyKey(null).build());
    assertThat(full()).isNotEqualTo(full().toBuilder().deliverAt(null).build());
    assertThat(full()).isNotEqualTo(full().toBuilder().header("b", "3").build());
    assertThat(Message.builder("x").key("").build()).isNotEqualTo(Message.of("x"));
  }

  @Test
  void toBuilderAndWithTimestampCopyEverythingElse() {
    assertThat(full().toBuilder().build()).isEqualTo(full());
    Message later = full().withTimestamp(T.plusSeconds(1));
    assertThat(later.toBuilder().timestamp(T).build()).isEqualTo(full());
  }

  @Test
  void toStringShowsThePayloadSizeNotItsBytes() {
    assertThat(full().toString())
        .contains("payload=4 bytes")
        .contains("key=k")
        .contains("idempotencyKey=id-1")
        .doesNotContain("body");
  }

  @Test
  void aNullPayloadIsRejectedAnEmptyOneIsFine() {
    assertThatThrownBy(() -> Message.of((byte[]) null))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("use an empty array");
    assertThatThrownBy(() -> Message.of((String) null))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("use an empty string");
    assertThatThrownBy(() -> Message.builder((byte[]) null).build())
        .isInstanceOf(InvalidMessageException.class);
    assertThat(Message.of("").payload()).isEmpty();
  }

  @Test
  void keysAndIdempotencyKeysAreChecked() {
    assertThat(Message.builder("x").key("k".repeat(1024)).build().key()).hasSize(1024);
    assertThatThrownBy(() -> Message.builder("x").key("k".repeat(1025)).build())
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("key is too large: expected at most 1024 bytes, found 1025");
    assertThatThrownBy(() -> Message.builder("x").key("ä".repeat(513)).build())
        .as("counted in UTF-8 bytes")
        .isInstanceOf(MessageTooLargeException.class);
    assertThatThrownBy(() -> Message.builder("x").key("a\uD800").build())
        .isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> Message.builder("x").idempotencyKey("").build())
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("use null for none");
    assertThatThrownBy(() -> Message.builder("x").idempotencyKey("i".repeat(257)).build())
        .isInstanceOf(MessageTooLargeException.class);
  }

  @Test
  void timesMustLieBetweenTheEpochAndTheYear9999() {
    assertThat(Message.builder("x").deliverAt(Instant.EPOCH).build().deliverAt())
        .isEqualTo(Instant.EPOCH);
    assertThatThrownBy(() -> Message.builder("x").deliverAt(Instant.MAX).build())
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("deliverAt")
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> Message.builder("x").timestamp(Instant.EPOCH.minusNanos(1)).build())
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("timestamp");
  }
}
