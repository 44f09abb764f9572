package io.sluice.spring.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Ordering;
import io.sluice.consumer.AckMode;
import io.sluice.spi.Storage;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.spring.autoconfigure.SluiceAutoConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Discovery and attribute resolution; the listeners here do not start (autoStartup=false). */
class SluiceListenerRegistrationTest {

  static class Listeners {
    @SluiceListener(
        id = "billing",
        topic = "${app.topic}",
        topics = {"refunds,returns"},
        group = "${app.group:billing}",
        concurrency = "${app.concurrency}",
        ordering = "key_ordered",
        maxAttempts = "#{1 + 2}",
        backoff = "${app.backoff}",
        deadLetterTopic = "orders.failed",
        autoStartup = "false",
        ackMode = "manual")
    void onOrder(String order) {}

    @SluiceListener(topic = "audit", group = "audit", autoStartup = "${app.audit.start:false}")
    void onAudit(byte[] event) {}
  }

  static class BadConcurrency {
    @SluiceListener(topic = "t", group = "g", concurrency = "lots", autoStartup = "false")
    void on(String s) {}
  }

  static class NoGroup {
    @SluiceListener(topic = "t", autoStartup = "false")
    void on(String s) {}
  }

  static class BadTopic {
    @SluiceListener(topic = "no spaces", group = "g", autoStartup = "false")
    void on(String s) {}
  }

  static class DuplicateIds {
    @SluiceListener(id = "same", topic = "a", group = "g", autoStartup = "false")
    void one(String s) {}

    @SluiceListener(id = "same", topic = "b", group = "g", autoStartup = "false")
    void two(String s) {}
  }

  @Configuration(proxyBeanMethods = false)
  static class MemoryStore {
    @Bean
    Storage storage() {
      return new InMemoryStorage(new SettableClock());
    }
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  PropertyPlaceholderAutoConfiguration.class, SluiceAutoConfiguration.class))
          .withUserConfiguration(MemoryStore.class);

  @Test
  void attributesResolvePlaceholdersAndSpel() {
    runner
        .withBean(Listeners.class)
        .withPropertyValues("app.topic=orders", "app.concurrency=3", "app.backoff=10ms,2,1s")
        .run(
            context -> {
              ListenerEndpointRegistry registry = context.getBean(ListenerEndpointRegistry.class);
              assertThat(registry.ids())
                  .containsExactlyInAnyOrder(
                      "billing", "sluiceListenerRegistrationTest.Listeners.onAudit");
              ListenerEndpoint e = registry.endpoint("billing").orElseThrow();
              assertThat(e.topics()).containsExactlyInAnyOrder("orders", "refunds", "returns");
              assertThat(e.group()).isEqualTo("billing");
              assertThat(e.concurrency()).isEqualTo(3);
              assertThat(e.ordering()).isEqualTo(Ordering.KEY_ORDERED);
              assertThat(e.maxAttempts()).isEqualTo(3);
              assertThat(e.backoff().initial()).isEqualTo(Duration.ofMillis(10));
              assertThat(e.backoff().max()).isEqualTo(Duration.ofSeconds(1));
              assertThat(e.deadLetterTopic()).isEqualTo("orders.failed");
              assertThat(e.autoStartup()).isFalse();
              assertThat(e.ackMode()).isEqualTo(AckMode.MANUAL);
              assertThat(e.description()).isEqualTo("Listeners.onOrder(String)");
              assertThat(registry.isRunning("billing")).isFalse();
            });
  }

  @Test
  void unsetAttributesAreLeftToTheDefaults() {
    runner
        .withBean(Listeners.class)
        .withPropertyValues("app.topic=orders", "app.concurrency=3", "app.backoff=10ms")
        .run(
            context -> {
              ListenerEndpoint e =
                  context
                      .getBean(ListenerEndpointRegistry.class)
                      .endpoint("sluiceListenerRegistrationTest.Listeners.onAudit")
                      .orElseThrow();
              assertThat(List.of(e.topics(), e.group())).containsExactly(List.of("audit"), "audit");
              assertThat(e.concurrency()).isNull();
              assertThat(e.maxAttempts()).isNull();
              assertThat(e.backoff()).isNull();
              assertThat(e.deadLetterTopic()).isNull();
            });
  }

  @Test
  void anUnresolvablePlaceholderFailsTheStartup() {
    runner
        .withBean(Listeners.class)
        .run(
            context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("app.topic"));
  }

  @Test
  void invalidAttributesFailNamingTheMethodAndAttribute() {
    runner
        .withBean(BadConcurrency.class)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining(
                        "@SluiceListener on BadConcurrency.on(String): concurrency has an invalid"
                            + " value \"lots\": not a number"));
    runner
        .withBean(NoGroup.class)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("NoGroup.on(String): group is required"));
    runner
        .withBean(BadTopic.class)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("BadTopic.on(String)")
                    .hasStackTraceContaining("no spaces"));
    runner
        .withBean(DuplicateIds.class)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("duplicate listener id \"same\""));
  }

  @Test
  void registryRejectsUnknownIds() {
    runner.run(
        context -> {
          ListenerEndpointRegistry registry = context.getBean(ListenerEndpointRegistry.class);
          org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.pause("nope"))
              .hasMessageContaining("no listener with id \"nope\"");
        });
  }
}
