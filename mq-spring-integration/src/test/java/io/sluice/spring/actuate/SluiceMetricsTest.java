package io.sluice.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.api.Message;
import io.sluice.spring.testing.FakeDelivery;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SluiceMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SluiceMetrics metrics = new SluiceMetrics(registry);
  private final FakeDelivery d = new FakeDelivery("orders", "billing", Message.of("x"));

  @Test
  void countsOutcomesPerTopicAndGroup() {
    metrics.onDelivered(d);
    metrics.onHandled(d, Duration.ofMillis(5), new IllegalStateException());
    metrics.onRetried(d, Duration.ofSeconds(1), new IllegalStateException());
    metrics.onDelivered(d);
    metrics.onHandled(d, Duration.ofMillis(3), null);
    metrics.onAcked(d);
    metrics.onDelivered(d);
    metrics.onDeadLettered(d, "orders.dlq", "exhausted", null);
    metrics.onDelivered(d);

    assertThat(count("sluice.acks")).isEqualTo(1);
    assertThat(count("sluice.redeliveries")).isEqualTo(1);
    assertThat(count("sluice.dead.letters")).isEqualTo(1);
    assertThat(registry.get("sluice.inflight").tags("topic", "orders").gauge().value())
        .isEqualTo(1);
    assertThat(
            registry
                .get("sluice.process")
                .tags("result", "failure", "exception", "IllegalStateException")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("sluice.process").tags("result", "success").timer().count())
        .isEqualTo(1);
  }

  @Test
  void lagIsSummedOverPartitions() {
    metrics.onLag("billing", "orders", 0, 5);
    metrics.onLag("billing", "orders", 1, 7);
    metrics.onLag("billing", "orders", 0, 2);
    assertThat(
            registry
                .get("sluice.consumer.lag")
                .tags("topic", "orders", "group", "billing")
                .gauge()
                .value())
        .isEqualTo(9);
  }

  @Test
  void noHighCardinalityTags() {
    metrics.onDelivered(d);
    metrics.onAcked(d);
    registry
        .getMeters()
        .forEach(
            m ->
                assertThat(m.getId().getTags())
                    .extracting(io.micrometer.core.instrument.Tag::getKey)
                    .doesNotContain("partition", "offset"));
  }

  private double count(String name) {
    return registry.get(name).tags("topic", "orders", "group", "billing").counter().count();
  }
}
