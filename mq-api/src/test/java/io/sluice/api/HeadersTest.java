package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.MessageTooLargeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void orderAndDuplicatesAreKept() {
    Headers h = Headers.of("a", "1", "b", "2", "a", "3");
    assertThat(h.asList())
        .containsExactly(new Header("a", "1"), new Header("b", "2"), new Header("a", "3"));
    assertThat(h.values("a")).containsExactly("1", "3");
    assertThat(h.lastValue("a")).contains("3");
    assertThat(h.lastValue("missing")).isEmpty();
    assertThat(h.values("missing")).isEmpty();
    assertThat(h.size()).isEqualTo(3);
  }

  @Test
  void withAppendsAndLeavesTheOriginalUnchanged() {
    Headers h = Headers.of("a", "1");
    Headers more = h.with("a", "2");
    assertThat(h.asList()).hasSize(1);
    assertThat(more.lastValue("a")).contains("2");
    assertThatThrownBy(() -> more.asList().add(new Header("x", "y")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalityIsByContentAndOrder() {
    assertThat(Headers.of("a", "1", "b", "2")).isEqualTo(Headers.of("a", "1", "b", "2"));
    assertThat(Headers.of("a", "1", "b", "2")).hasSameHashCodeAs(Headers.of("a", "1", "b", "2"));
    assertThat(Headers.of("a", "1", "b", "2")).isNotEqualTo(Headers.of("b", "2", "a", "1"));
    assertThat(Headers.of()).isSameAs(Headers.empty());
    assertThat(Headers.empty().isEmpty()).isTrue();
  }

  @Test
  void emojiAndEmptyValuesAreFine() {
    Headers h = Headers.of("😀", "🎉 party", "empty", "");
    assertThat(h.lastValue("😀")).contains("🎉 party");
    assertThat(h.lastValue("empty")).contains("");
  }

  @Test
  void textThatCannotBeStoredIsRejected() {
    assertThatThrownBy(() -> new Header("a\uD83D", "v"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("lone UTF-16 surrogate at index 1");
    assertThatThrownBy(() -> new Header("a", "\uDE00x"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("value of header \"a\"");
    assertThatThrownBy(() -> new Header("a", "x\u0000"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("NUL");
    assertThatThrownBy(() -> new Header("", "v"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> new Header(null, "v")).isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> new Header("a", null)).isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> new Header("n".repeat(257), "v"))
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(new Header("n".repeat(256), "v").name()).hasSize(256);
  }

  @Test
  void countAndShapeLimits() {
    List<Header> many = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      many.add(new Header("h" + i, "v"));
    }
    assertThat(Headers.of(many).size()).isEqualTo(256);
    many.add(new Header("one-more", "v"));
    assertThatThrownBy(() -> Headers.of(many))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("expected at most 256, found 257");
    assertThatThrownBy(() -> Headers.of("a", "1", "b"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("odd count 3");
    List<Header> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> Headers.of(withNull)).isInstanceOf(InvalidMessageException.class);
  }
}
