package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The twins of README.md's "API by example" snippets: if one stops compiling, fix both. */
class ReadmeExamplesTest {

  @Test
  void messageExample() {
    // tag::message[]
    Message m =
        Message.builder("{\"order\":42,\"amount\":\"19.90\"}")
            .key("customer-7") // same key -> same partition, in order
            .header("content-type", "application/json")
            .idempotencyKey("order-42") // a resend within the window is a no-op
            .deliverAt(Instant.now().plusSeconds(30)) // delayed delivery
            .build();
    // end::message[]
    assertThat(m.key()).isEqualTo("customer-7");
    assertThat(m.headers().lastValue("content-type")).contains("application/json");
    assertThat(m.idempotencyKey()).isEqualTo("order-42");
    assertThat(m.deliverAt()).isAfter(Instant.now());
  }

  @Test
  void topicConfigExample() {
    // tag::topic-config[]
    TopicConfig orders =
        TopicConfig.partitions(4)
            .withRetention(Duration.ofDays(7))
            .withDedupeWindow(Duration.ofHours(24));
    // end::topic-config[]
    assertThat(orders.partitions()).isEqualTo(4);
    assertThat(orders.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(orders.maxMessageBytes()).isEqualTo(1 << 20);
  }

  @Test
  void backoffExample() {
    // tag::backoff[]
    Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2);
    backoff.baseDelay(3); // 4 s; with jitter 0.2 the actual delay is drawn from [3.2 s, 4 s]
    // end::backoff[]
    assertThat(backoff.baseDelay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(3, 0.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(3, 0.999_999))
        .isBetween(Duration.ofMillis(3200), Duration.ofSeconds(4));
  }
}
