package io.sluice.spring.autoconfigure;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.sluice.api.Message;
import io.sluice.spi.Storage;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.listener.ListenerEndpoint;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link ObservationRegistry} reaches sends and listeners; the listener id is the
 * {@code sluice.listener.id} key and the {@code listener.id} tag; meters exist before any event.
 */
class SluiceObservationConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<String> handled = new CopyOnWriteArrayList<>();

  @Configuration(proxyBeanMethods = false)
  static class MemoryStore {
    @Bean
    Storage storage() {
      return new InMemoryStorage(InstantSource.system());
    }
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class))
        .withUserConfiguration(MemoryStore.class)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("sluice.topics.orders.partitions=2");
  }

  private void listen(ListenerEndpointRegistry listeners) {
    listeners.register(
        ListenerEndpoint.of(
            "billing-listener",
            "billing",
            List.of("orders"),
            d -> handled.add(d.payloadAsString())));
  }

  @Test
  void sendsAndListenerRunsAreObservedWithTheListenerId() {
    runner()
        .withBean(ObservationRegistry.class, TestObservationRegistry::create)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
              listen(context.getBean(ListenerEndpointRegistry.class));
              context.getBean(SluiceTemplate.class).send("orders", Message.of("o-1"));
              await().atMost(WAIT).until(() -> handled.contains("o-1"));
              await()
                  .atMost(WAIT)
                  .untilAsserted(
                      () ->
                          assertThat(observations)
                              .hasObservationWithNameEqualTo("sluice.process")
                              .that()
                              .hasBeenStopped()
                              .hasContextualNameEqualTo("orders process")
                              .hasLowCardinalityKeyValue("sluice.listener.id", "billing-listener")
                              .hasLowCardinalityKeyValue("messaging.consumer.group.name", "billing")
                              .hasLowCardinalityKeyValue("messaging.destination.name", "orders")
                              .hasLowCardinalityKeyValue("messaging.operation", "process")
                              .hasLowCardinalityKeyValue("messaging.system", "sluice"));
              assertThat(observations)
                  .hasObservationWithNameEqualTo("sluice.send")
                  .that()
                  .hasBeenStopped()
                  .hasContextualNameEqualTo("orders send")
                  .hasLowCardinalityKeyValue("messaging.operation", "publish")
                  .hasLowCardinalityKeyValue("messaging.destination.name", "orders");

              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(meters.find("sluice.process").tagKeys("result").timer())
                  .as("the observations make the timers, not SluiceMetrics")
                  .isNull();
              assertThat(
                      meters
                          .get("sluice.acks")
                          .tags("group", "billing", "listener.id", "billing-listener")
                          .counter()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void errorsAndCountersAreRegisteredWhenTheListenerStarts() {
    runner()
        .run(
            context -> {
              listen(context.getBean(ListenerEndpointRegistry.class));
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(
                      meters
                          .get("sluice.errors")
                          .tags("group", "billing", "listener.id", "billing-listener")
                          .counter()
                          .count())
                  .as("visible with 0 before the first error")
                  .isZero();
              assertThat(
                      meters
                          .get("sluice.dead.letters")
                          .tags("topic", "orders", "listener.id", "billing-listener")
                          .counter()
                          .count())
                  .isZero();
            });
  }

  @Test
  void observationCanBeTurnedOffAndThenSluiceMetricsTimesItself() {
    runner()
        .withBean(ObservationRegistry.class, TestObservationRegistry::create)
        .withPropertyValues("sluice.observation.enabled=false")
        .run(
            context -> {
              TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
              listen(context.getBean(ListenerEndpointRegistry.class));
              context.getBean(SluiceTemplate.class).send("orders", Message.of("o-2"));
              await().atMost(WAIT).until(() -> handled.contains("o-2"));
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              await()
                  .atMost(WAIT)
                  .untilAsserted(
                      () ->
                          assertThat(
                                  meters
                                      .get("sluice.process")
                                      .tags("listener.id", "billing-listener", "result", "success")
                                      .timer()
                                      .count())
                              .isEqualTo(1));
              assertThat(observations).doesNotHaveAnyObservation();
            });
  }
}
