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

  static class BatchAndStrict {
    @SluiceListener(
        id = "batch",
        topic = "t",
        group = "g",
        batch = "true",
        maxBatchSize = "${app.batch:50}",
        maxBatchWait = "25ms",
        transactional = "true",
        notRetryable = {IllegalArgumentException.class, IllegalStateException.class},
        autoStartup = "false")
    void on(List<String> payloads, List<io.sluice.api.Delivery> deliveries) {}
  }

  static class BatchWithoutList {
    @SluiceListener(topic = "t", group = "g", batch = "true", autoStartup = "false")
    void on(String s) {}
  }

  static class TransactionalManual {
    @SluiceListener(
        topic = "t",
        group = "g",
        transactional = "true",
        ackMode = "MANUAL",
        autoStartup = "false")
    void on(String s) {}
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
  void batchTransactionalAndNotRetryableAttributesAreRead() {
    runner
        .withBean(BatchAndStrict.class)
        .run(
            context -> {
              ListenerEndpoint e =
                  context.getBean(ListenerEndpointRegistry.class).endpoint("batch").orElseThrow();
              assertThat(e.isBatch()).isTrue();
              assertThat(e.handler()).isNull();
              assertThat(e.isTransactional()).isTrue();
              assertThat(e.maxBatchSize()).isEqualTo(50);
              assertThat(e.maxBatchWait()).isEqualTo(Duration.ofMillis(25));
              assertThat(e.notRetryable())
                  .containsExactly(IllegalArgumentException.class, IllegalStateException.class);
              io.sluice.consumer.GroupConfig.Builder options =
                  io.sluice.consumer.GroupConfig.builder("g").topics(List.of("t"));
              e.applyTo(options, ListenerDefaults.DEFAULTS);
              io.sluice.consumer.GroupConfig config = options.build();
              assertThat(config.maxBatchSize()).isEqualTo(50);
              assertThat(config.retry().isRetryable(new IllegalArgumentException())).isFalse();
              assertThat(config.retry().isRetryable(new RuntimeException())).isTrue();
              assertThat(
                      config
                          .retry()
                          .isRetryable(new io.sluice.spring.core.MessageConversionException("bad")))
                  .isFalse();
            });
  }

  @Test
  void aBatchListenerNeedsListsAndATransactionalOneAutomaticAcks() {
    runner
        .withBean(BatchWithoutList.class)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("BatchWithoutList.on(String)")
                    .hasStackTraceContaining("every parameter of a batch listener is a List"));
    runner
        .withBean(TransactionalManual.class)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("TransactionalManual.on(String)")
                    .hasStackTraceContaining("ackMode MANUAL is not possible"));
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
