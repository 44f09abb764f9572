package io.sluice.spring.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Backoff;
import io.sluice.api.Ordering;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerGroupBuilder;
import io.sluice.consumer.GroupConfig;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.spring.autoconfigure.SluiceProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listener settings are the runtime's group options: defaults, ranges and how they apply. */
class ListenerDefaultsTest {
  @Test
  void theDefaultsAreTheRuntimesAndThePropertiesAgree() {
    GroupConfig core = GroupConfig.defaults("g", List.of("t"));
    ListenerDefaults defaults = ListenerDefaults.DEFAULTS;
    assertThat(defaults.concurrency()).isEqualTo(core.concurrency());
    assertThat(defaults.ordering()).isEqualTo(core.ordering());
    assertThat(defaults.maxAttempts()).isEqualTo(core.retry().maxAttempts());
    assertThat(defaults.backoff()).isEqualTo(core.retry().backoff());
    assertThat(defaults.shutdownTimeout()).isEqualTo(core.shutdownTimeout());
    assertThat(defaults.pollInterval()).isEqualTo(core.pollInterval());
    assertThat(defaults.maxHandlerTime()).isEqualTo(core.maxHandlerTime());
    assertThat(new SluiceProperties().getListener().toDefaults()).isEqualTo(defaults);
  }

  @Test
  void rangesAreCheckedByTheGroupOptionsAndNamedByProperty() {
    SluiceProperties.Listener listener = new SluiceProperties().getListener();
    assertThatThrownBy(() -> listener.setConcurrency(10_001))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("sluice.listener.concurrency must be 1 to 10000, found 10001");
    assertThatThrownBy(() -> listener.setMaxAttempts(0))
        .hasMessage("sluice.listener.max-attempts must be at least 1, found 0");
    assertThatThrownBy(() -> listener.setMaxHandlerTime(Duration.ZERO))
        .hasMessageStartingWith("sluice.listener.max-handler-time must be");
    assertThatThrownBy(() -> listener.setPollInterval(Duration.ofMillis(-1)))
        .hasMessageStartingWith("sluice.listener.poll-interval must be");
    assertThatThrownBy(() -> listener.setMissingTopicPartitions(0))
        .hasMessageStartingWith("sluice.listener.missing-topic-partitions must be");
    assertThatThrownBy(
            () ->
                new ListenerDefaults(
                    0,
                    Ordering.UNORDERED,
                    5,
                    Backoff.DEFAULT,
                    true,
                    Duration.ZERO,
                    Duration.ofMillis(50),
                    true,
                    1))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(
            () ->
                new ListenerEndpoint(
                    "id", "g", List.of("t"), 0, null, null, null, null, null, null, d -> {}, null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("concurrency");
  }

  @Test
  void anEndpointAppliesItsSettingsOverTheDefaults() {
    ListenerDefaults defaults =
        ListenerDefaults.of(
            GroupConfig.builder("g")
                .topics(List.of("t"))
                .concurrency(3)
                .maxHandlerTime(Duration.ofMinutes(2))
                .build(),
            true,
            true,
            1);
    ListenerEndpoint endpoint =
        new ListenerEndpoint(
            "billing",
            "g",
            List.of("t"),
            null,
            Ordering.KEY_ORDERED,
            7,
            null,
            "t-failures",
            null,
            null,
            d -> {},
            null);
    InMemoryStorage storage = new InMemoryStorage(new SettableClock());
    ConsumerGroupBuilder builder = ConsumerGroup.builder("g", storage).subscribe("t");
    endpoint.applyTo(builder, defaults);
    GroupConfig config = builder.toConfig();
    assertThat(config.concurrency()).isEqualTo(3);
    assertThat(config.ordering()).isEqualTo(Ordering.KEY_ORDERED);
    assertThat(config.retry().maxAttempts()).isEqualTo(7);
    assertThat(config.retry().backoff()).isEqualTo(defaults.backoff());
    assertThat(config.deadLetterTopic()).isEqualTo("t-failures");
    assertThat(config.maxHandlerTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.member()).isEqualTo("billing");
    storage.close();
  }
}
