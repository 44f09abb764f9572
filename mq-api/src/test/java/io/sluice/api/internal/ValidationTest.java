package io.sluice.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.api.error.MessageTooLargeException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "A", "0", "orders", "orders.dlq", "a_b-c.d", "x--DROP_TABLE.mq"})
  void validNamesPass(String name) {
    assertThat(Validation.topic(name)).isEqualTo(name);
    assertThat(Validation.group(name)).isEqualTo(name);
  }

  @Test
  void theLongestNameHas200Characters() {
    assertThat(Validation.topic("a".repeat(200))).hasSize(200);
    assertThatThrownBy(() -> Validation.topic("a".repeat(201)))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("it has 201 characters")
        .hasMessageContaining("expected 1 to 200 characters from [A-Za-z0-9._-]");
  }

  @Test
  void badNamesSayWhatWasWrongAndWhatIsAllowed() {
    assertProblem(null, "invalid topic name null: it is null");
    assertProblem("", "it is empty");
    assertProblem(".", "it starts with U+002E '.'");
    assertProblem("..", "it starts with U+002E '.'");
    assertProblem("-x", "it starts with U+002D '-'");
    assertProblem("_x", "it starts with U+005F '_'");
    assertProblem("a/b", "character U+002F '/' at position 1 is not allowed");
    assertProblem("../etc", "it starts with U+002E '.'");
    assertProblem("a b", "character U+0020 ' ' at position 1");
    assertProblem("тема", "it starts with U+0442 'т'");
    assertProblem("a;DROP TABLE mq_messages;--", "character U+003B ';' at position 1");
    assertProblem("' OR 1=1 --", "it starts with U+0027 '''");
    assertProblem("%00", "it starts with U+0025 '%'");
    assertProblem("a\u0000b", "character U+0000 at position 1");
    assertProblem("a\tb", "character U+0009 at position 1");
    assertProblem("a\uD83D\uDE00b", "character U+1F600 '\uD83D\uDE00' at position 1");
  }

  @Test
  void rejectedNamesAreEscapedAndCutInMessagesSoTheyCannotForgeLogLines() {
    String forged = "a\r\nINFO admin logged in\u0000" + "x".repeat(500);
    assertThatThrownBy(() -> Validation.group(forged))
        .isInstanceOf(InvalidNameException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .doesNotContain("\r")
                  .doesNotContain("\n")
                  .doesNotContain("\u0000")
                  .contains("a\\u000d\\u000aINFO admin logged in\\u0000")
                  .contains("(460 more characters)")
                  .contains("it has 524 characters (at most 200)");
              assertThat(((InvalidNameException) e).name()).isEqualTo(forged);
            });
  }

  @Test
  void messagesCountCodePointsNotUtf16Units() {
    assertThatThrownBy(() -> Validation.topic("\uD83D\uDE00".repeat(201)))
        .hasMessageContaining("it has 201 characters (at most 200)");
    assertThatThrownBy(() -> Validation.topic("ab\uD83D\uDE00"))
        .hasMessageContaining("character U+1F600 '\uD83D\uDE00' at position 2");
  }

  private static void assertProblem(String name, String problem) {
    assertThatThrownBy(() -> Validation.topic(name))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining("starting with a letter or digit")
        .satisfies(
            e -> {
              assertThat(((InvalidNameException) e).kind())
                  .isEqualTo(InvalidNameException.Kind.TOPIC);
              assertThat(((InvalidNameException) e).name()).isEqualTo(name);
            });
  }

  @Test
  void groupNamesReportTheGroupKind() {
    assertThatThrownBy(() -> Validation.group("a b"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageStartingWith("invalid group name \"a b\"")
        .satisfies(
            e ->
                assertThat(((InvalidNameException) e).kind())
                    .isEqualTo(InvalidNameException.Kind.GROUP));
  }

  @Test
  void textChecksGoOnPastAnAsciiPrefix() {
    assertThat(Validation.text("v", "abcä€😀")).isEqualTo(3 + 2 + 3 + 4);
    assertThatThrownBy(() -> Validation.text("thing", "abcä\u0000"))
        .hasMessageContaining("thing contains a NUL character (U+0000) at index 4");
    assertThatThrownBy(() -> Validation.text("thing", "abcä\uD83D"))
        .hasMessageContaining("thing contains a lone UTF-16 surrogate at index 4");
    assertThat(Validation.header("name", "valueä")).isEqualTo(4 + 7);
    assertThatThrownBy(() -> Validation.header("na\nme", "v\u0000"))
        .hasMessageContaining("value of header \"na\\u000ame\" contains a NUL character");
  }

  @Test
  void textIsMeasuredInUtf8AndMustBeStorable() {
    assertThat(Validation.text("v", "")).isZero();
    assertThat(Validation.text("v", "abc")).isEqualTo(3);
    assertThat(Validation.text("v", "ä")).isEqualTo(2);
    assertThat(Validation.text("v", "€")).isEqualTo(3);
    assertThat(Validation.text("v", "😀")).isEqualTo(4);
    assertThat(Validation.utf8Length("a€😀")).isEqualTo(8);
    assertThatThrownBy(() -> Validation.text("thing", null))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessage("thing must not be null");
    assertThatThrownBy(() -> Validation.text("thing", "ab\u0000"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("thing contains a NUL character (U+0000) at index 2");
    assertThatThrownBy(() -> Validation.text("thing", "\uD83D"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("lone UTF-16 surrogate at index 0");
    assertThatThrownBy(() -> Validation.text("thing", "a\uDE00"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("at index 1");
    assertThatThrownBy(() -> Validation.text("thing", "\uD83D\uD83D\uDE00"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("at index 0");
  }

  @Test
  void keyAndIdempotencyKeyLimits() {
    assertThat(Validation.key("")).isZero();
    assertThat(Validation.key("k".repeat(1024))).isEqualTo(1024);
    assertThatThrownBy(() -> Validation.key("k".repeat(1025)))
        .isInstanceOf(MessageTooLargeException.class)
        .satisfies(e -> assertThat(((MessageTooLargeException) e).limit()).isEqualTo(1024));
    assertThat(Validation.idempotencyKey("i".repeat(256))).isEqualTo(256);
    assertThatThrownBy(() -> Validation.idempotencyKey("i".repeat(257)))
        .isInstanceOf(MessageTooLargeException.class);
    assertThatThrownBy(() -> Validation.idempotencyKey(""))
        .isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void headerLimits() {
    assertThat(Validation.header("ab", "cde")).isEqualTo(5);
    assertThatThrownBy(() -> Validation.header("", "v"))
        .isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> Validation.header("h".repeat(257), "v"))
        .isInstanceOf(MessageTooLargeException.class);
    Validation.headerCount(256);
    assertThatThrownBy(() -> Validation.headerCount(257))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessage("too many headers: expected at most 256, found 257");
  }

  @Test
  void encodedSizeCountsPayloadKeyIdempotencyKeyAndHeaders() {
    Message m =
        Message.builder(new byte[10])
            .key("kk")
            .idempotencyKey("iii")
            .header("h", "vv")
            .header("é", "😀")
            .build();
    assertThat(Validation.encodedSize(m)).isEqualTo(10 + 2 + 3 + 3 + 2 + 4);
    Validation.size(m, 24);
    assertThatThrownBy(() -> Validation.size(m, 23))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessage(
            "message is too large: expected at most 23 bytes, found 24 bytes; raise the limit in"
                + " TopicConfig.maxMessageBytes or send less")
        .satisfies(
            e -> {
              assertThat(((MessageTooLargeException) e).size()).isEqualTo(24);
              assertThat(((MessageTooLargeException) e).limit()).isEqualTo(23);
            });
  }

  @Test
  void instantsLieBetweenTheEpochAndTheEndOf9999() {
    assertThat(Validation.instant("t", null)).isNull();
    assertThat(Validation.instant("t", Validation.MIN_INSTANT)).isEqualTo(Instant.EPOCH);
    assertThat(Validation.instant("t", Validation.MAX_INSTANT)).isEqualTo(Validation.MAX_INSTANT);
    assertThatThrownBy(() -> Validation.instant("t", Validation.MAX_INSTANT.plusNanos(1)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("expected 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
    assertThatThrownBy(() -> Validation.instant("t", Instant.MIN))
        .isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void instantBoundsHoldToTheNanosecond() {
    Instant max = Validation.MAX_INSTANT;
    assertThatThrownBy(() -> Validation.instant("t", Instant.EPOCH.minusNanos(1)))
        .isInstanceOf(InvalidMessageException.class);
    assertThat(Validation.instant("t", Instant.EPOCH.plusNanos(1)))
        .isEqualTo(Instant.EPOCH.plusNanos(1));
    assertThat(Validation.instant("t", max.minusNanos(1))).isEqualTo(max.minusNanos(1));
    assertThat(Validation.instant("t", Instant.ofEpochSecond(max.getEpochSecond())))
        .isEqualTo(Instant.ofEpochSecond(max.getEpochSecond()));
    assertThatThrownBy(
            () -> Validation.instant("t", Instant.ofEpochSecond(max.getEpochSecond(), 999_999_999)))
        .isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(
            () -> Validation.instant("t", Instant.ofEpochSecond(max.getEpochSecond() + 1)))
        .isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> Validation.instant("t", Instant.MAX))
        .isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void numbersAndDurations() {
    assertThat(Validation.partitions(1)).isEqualTo(1);
    assertThat(Validation.partitions(4096)).isEqualTo(4096);
    assertThatThrownBy(() -> Validation.partitions(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> Validation.partitions(4097))
        .isInstanceOf(InvalidConfigException.class);
    assertThat(Validation.positive("d", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    assertThatThrownBy(() -> Validation.positive("lease", Duration.ZERO))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("lease must be a positive duration, found PT0S");
    assertThatThrownBy(() -> Validation.positive("lease", null))
        .isInstanceOf(InvalidConfigException.class);
    assertThat(Validation.nonNegative("delay", Duration.ZERO)).isZero();
    assertThatThrownBy(() -> Validation.nonNegative("delay", Duration.ofMillis(-1)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("zero or positive");
    assertThat(Validation.atLeast("n", 3, 3)).isEqualTo(3);
    assertThatThrownBy(() -> Validation.atLeast("n", 2, 3))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("n must be at least 3, found 2");
    assertThat(Validation.required("x", "v")).isEqualTo("v");
    assertThatThrownBy(() -> Validation.required("x", null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("x must not be null");
  }
}
