package io.sluice.storage.file.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.spi.StoredMessage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding gives back exactly what was encoded, sharing what repeats from record to record. */
class RecordDecoderTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456789Z");

  private static List<StoredMessage> roundTrip(List<Message> messages) {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    BatchCodec.encode(buf, 40, messages, 0, messages.size(), NOW);
    byte[] b = new byte[buf.position()];
    buf.flip().get(b);
    List<StoredMessage> out = new ArrayList<>();
    assertThat(BatchCodec.crcHolds(b, 0, b.length)).isTrue();
    BatchCodec.decode(b, 0, 0, Long.MAX_VALUE, 1000, "t", 3, out);
    return out;
  }

  @Test
  void decodesEveryFieldAndSharesRepeatedKeysAndHeaders() {
    Message a =
        Message.builder("one")
            .key("k")
            .header("content-type", "json")
            .header("trace", "1")
            .idempotencyKey("i1")
            .build();
    Message b =
        Message.builder("two")
            .key("k")
            .header("content-type", "json")
            .header("trace", "2")
            .timestamp(Instant.EPOCH)
            .deliverAt(NOW.plusSeconds(60))
            .build();
    Message c = Message.builder("three").key("k").header("content-type", "json").build();
    Message d = Message.builder("four").key("").header("content-type", "json").build();
    Message e = Message.of("five");
    Message f = Message.builder("six").key("k\u00e9\uD83D\uDE00").header("n\u00e4me", "").build();
    List<Message> in = List.of(a, b, c, d, e, f);
    List<StoredMessage> out = roundTrip(in);
    for (int i = 0; i < in.size(); i++) {
      Message expected = in.get(i).timestamp() == null ? in.get(i).withTimestamp(NOW) : in.get(i);
      assertThat(out.get(i).message()).isEqualTo(expected);
      assertThat(out.get(i).offset()).isEqualTo(40 + i);
      assertThat(out.get(i).partition()).isEqualTo(3);
    }
    Message ra = out.get(0).message();
    Message rb = out.get(1).message();
    Message rc = out.get(2).message();
    assertThat(rb.key()).isSameAs(ra.key());
    assertThat(rb.headers().asList().get(0)).isSameAs(ra.headers().asList().get(0));
    assertThat(rb.headers().asList().get(1)).isNotSameAs(ra.headers().asList().get(1));
    assertThat(rc.headers().asList()).hasSize(1);
    assertThat(out.get(3).message().key()).isEmpty();
    assertThat(out.get(4).message().key()).isNull();
    assertThat(out.get(4).message().headers().asList()).isEmpty();
  }

  @Test
  void aRecordWithTheSameHeadersAsThePreviousSharesThemWhole() {
    Message m = Message.builder("x").header("a", "1").header("b", "2").build();
    List<StoredMessage> out =
        roundTrip(List.of(m, m, Message.builder("y").header("a", "1").build()));
    assertThat(out.get(1).message().headers()).isSameAs(out.get(0).message().headers());
    assertThat(out.get(2).message().headers().asList()).hasSize(1);
    assertThat(out.get(2).message().headers().asList().get(0))
        .isSameAs(out.get(0).message().headers().asList().get(0));
  }
}
