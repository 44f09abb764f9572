package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.MessageHandler;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.api.error.TopicNotFoundException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input: an invalid configuration fails before anything starts. */
abstract class BadInputCases extends ConsumerCase {
  BadInputCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void badConfigurationIsRejectedBeforeAnythingStarts() {
    topic("orders", 1);
    assertThatThrownBy(() -> sluice().consumer("bad name"))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> sluice().consumer("g").subscribe("orders").start())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("handler");
    assertThatThrownBy(() -> sluice().consumer("g").handler(d -> {}).start())
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> sluice().consumer("g").subscribe("missing").handler(d -> {}).start())
        .isInstanceOf(TopicNotFoundException.class);
    assertThatThrownBy(
            () ->
                sluice().consumer("g").subscribe("orders").concurrency(0).handler(d -> {}).start())
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(
            () ->
                sluice()
                    .consumer("g")
                    .subscribe("orders")
                    .deadLetterTopic("orders")
                    .handler(d -> {})
                    .start())
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> RetryPolicy.maxAttempts(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> sluice().consumer("g").subscribe("a/b"))
        .isInstanceOf(InvalidNameException.class);
    MessageHandler noop = d -> {};
    assertThatThrownBy(
            () ->
                sluice()
                    .consumer("g")
                    .subscribe("orders")
                    .lease(Duration.ofMillis(1))
                    .handler(noop)
                    .start())
        .isInstanceOf(InvalidConfigException.class);
    assertThat(sluice().admin().listGroups("orders")).isEmpty();
  }

  /**
   * Topic names have at most 200 characters, so {@code <topic>.dlq} of a topic longer than 196 is
   * no valid name: such a group is refused at start (naming the topic and the limit), instead of
   * looping on its first exhausted message.
   */
  @Test
  void aDefaultDeadLetterTopicThatWouldBeAnInvalidNameIsRefusedAtStart() {
    String longest = "t".repeat(196);
    String tooLong = "u".repeat(197);
    topic(longest, 1);
    topic(tooLong, 1);
    assertThatThrownBy(() -> group("g", tooLong).handler(d -> {}).start())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("u".repeat(60))
        .hasMessageContaining("200")
        .hasMessageContaining("196");
    assertThat(sluice().admin().listGroups(tooLong)).isEmpty();
    group("g1", tooLong).deadLetterTopic("u.dlq").handler(d -> {}).start();
    group("g2", tooLong).noDeadLetterTopic().handler(d -> {}).start();
    sluice().producer().send(longest, Message.of("fails"));
    group("g3", longest)
        .retry(RetryPolicy.none())
        .handler(
            d -> {
              throw new IllegalStateException("no");
            })
        .start();
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters(longest + ".dlq") == 1);
  }

  @Test
  void maxHandlerTimeMustBePositive() {
    topic("orders", 1);
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofNanos(999_999))) {
      assertThatThrownBy(() -> group("g", "orders").maxHandlerTime(bad))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("maxHandlerTime");
    }
    assertThatThrownBy(() -> group("g", "orders").maxHandlerTime(null))
        .isInstanceOf(InvalidConfigException.class);
    assertThat(GroupConfig.defaults("g", List.of("orders")).maxHandlerTime())
        .isEqualTo(Duration.ofMinutes(15));
  }
}
