package io.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spring.actuate.SluiceEndpoint;
import io.sluice.spring.actuate.SluiceHealthIndicator;
import io.sluice.spring.boot.TestApplication.Listeners;
import io.sluice.spring.boot.TestApplication.Order;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.test.annotation.DirtiesContext;

/**
 * What every backend must do under Spring: send, consume, retry, dead-letter, report. Each
 * backend's context is closed after its class, so its listeners stop before the store is removed.
 */
@DirtiesContext
abstract class ListenerScenarios {
  static final Duration WAIT = Duration.ofSeconds(20);

  @Autowired SluiceTemplate template;
  @Autowired Listeners listeners;
  @Autowired SluiceAdmin admin;
  @Autowired ListenerEndpointRegistry registry;
  @Autowired SluiceHealthIndicator health;
  @Autowired SluiceEndpoint endpoint;
  @Autowired MeterRegistry meters;

  @Test
  void aSentObjectArrivesAsJsonAtTheListener() {
    template.send("orders", "customer-1", new Order("o-1", 1990));
    template.send(
        "orders",
        template.toMessage(null, new Order("o-2", 500)).toBuilder()
            .header("tenant", "acme")
            .build());
    template.sendAsync("orders", new Order("o-3", 1)).join();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(listeners.orders)
                    .contains(new Order("o-1", 1990), new Order("o-2", 500), new Order("o-3", 1)));
    assertThat(listeners.tenants).contains("acme");
    // Boot has an ObservationRegistry: the timers come from the sluice.send/process observations.
    assertThat(
            meters
                .get("sluice.send")
                .tags("messaging.destination.name", "orders", "error", "none")
                .timer()
                .count())
        .isGreaterThanOrEqualTo(3);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get("sluice.process")
                            .tags(
                                "sluice.listener.id",
                                "orders",
                                "messaging.consumer.group.name",
                                "shipping",
                                "error",
                                "none")
                            .timer()
                            .count())
                    .isGreaterThanOrEqualTo(3));
    assertThat(meters.get("sluice.errors").tags("group", "shipping", "listener.id", "orders"))
        .as("registered when the listener started")
        .isNotNull();
  }

  @Test
  void aFailingListenerIsRetriedThenDeadLettered() {
    Receipt receipt =
        template.send("payments", Message.builder("pay-7").idempotencyKey("pay-7").build());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(admin.countDeadLetters("payments.dlq")).isEqualTo(1));
    assertThat(listeners.paymentAttempts.get()).isEqualTo(3);
    List<DeadLetter> dead = admin.deadLetters("payments.dlq", 10);
    assertThat(dead).hasSize(1);
    DeadLetter d = dead.get(0);
    assertThat(d.originalTopic()).isEqualTo("payments");
    assertThat(d.originalOffset()).isEqualTo(receipt.offset());
    assertThat(d.group()).isEqualTo("payments");
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.errorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(d.message().payloadAsString()).isEqualTo("pay-7");

    SluiceEndpoint.TopicView view = endpoint.topic("payments.dlq");
    assertThat(view.pendingDeadLetters()).isEqualTo(1);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(admin.lag("payments", "payments")).isZero());

    assertThat(counter("sluice.dead.letters", "payments")).isEqualTo(1);
    assertThat(counter("sluice.redeliveries", "payments")).isEqualTo(2);

    // The endpoint's write operation sends it back; it fails three more times and returns.
    assertThat(endpoint.redrive("payments.dlq").redriven()).isEqualTo(1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(listeners.paymentAttempts.get()).isEqualTo(6);
              assertThat(admin.countDeadLetters("payments.dlq")).isEqualTo(1);
            });
  }

  private double counter(String name, String topic) {
    return meters.get(name).tags("topic", topic, "group", topic).counter().count();
  }

  @Test
  void aManualAckListenerSettlesThroughItsDelivery() {
    template.send("manual", new byte[] {'h', 'i'});
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(listeners.manual).containsExactly("hi");
              assertThat(admin.lag("manual", "manual")).isZero();
            });
  }

  @Test
  void listenersRunAndCanBePausedAndResumed() {
    assertThat(registry.ids()).contains("orders", "payments", "outbox");
    assertThat(registry.isRunning("orders")).isTrue();
    registry.pause("orders");
    assertThat(registry.isPaused("orders")).isTrue();
    registry.resume("orders");
    assertThat(registry.isPaused("orders")).isFalse();
    template.send("orders", new Order("after-resume", 2));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(listeners.orders).contains(new Order("after-resume", 2)));
  }

  @Test
  void healthIsUpAndTheEndpointListsTopicsAndGroups() {
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    template.send("orders", new Order("seen", 3));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SluiceEndpoint.TopicView orders = endpoint.topic("orders");
              assertThat(orders.groups())
                  .anySatisfy(
                      g -> {
                        assertThat(g.group()).isEqualTo("shipping");
                        assertThat(g.lag()).isZero();
                      });
            });
    assertThat(endpoint.overview().listeners())
        .extracting(SluiceEndpoint.ListenerView::id)
        .contains("orders", "payments");
  }
}
