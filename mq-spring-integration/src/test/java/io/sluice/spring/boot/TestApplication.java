package io.sluice.spring.boot;

import io.sluice.api.Delivery;
import io.sluice.spring.listener.Header;
import io.sluice.spring.listener.SluiceListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application both {@code @SpringBootTest}s start: three listeners that record what they saw.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {

  /** An order, sent as JSON. */
  public record Order(String id, int cents) {}

  /** Records what the listeners received. */
  public static class Listeners {
    final List<Order> orders = new CopyOnWriteArrayList<>();
    final List<String> tenants = new CopyOnWriteArrayList<>();
    final AtomicInteger paymentAttempts = new AtomicInteger();
    final List<String> outbox = new CopyOnWriteArrayList<>();
    final List<String> manual = new CopyOnWriteArrayList<>();

    @SluiceListener(id = "orders", topic = "orders", group = "shipping", concurrency = "4")
    void onOrder(Order order, @Header(value = "tenant", required = false) String tenant) {
      orders.add(order);
      if (tenant != null) {
        tenants.add(tenant);
      }
    }

    @SluiceListener(
        id = "payments",
        topic = "payments",
        group = "payments",
        maxAttempts = "${test.payments.attempts:3}",
        backoff = "20ms,2.0,100ms",
        deadLetterTopic = "payments.dlq")
    void onPayment(String payment, Delivery delivery) {
      paymentAttempts.incrementAndGet();
      throw new IllegalStateException("card declined for " + payment + " #" + delivery.attempt());
    }

    @SluiceListener(id = "outbox", topic = "outbox", group = "mailer")
    void onOutbox(String id) {
      outbox.add(id);
    }

    @SluiceListener(id = "manual", topic = "manual", group = "manual", ackMode = "MANUAL")
    void onManual(byte[] payload, Delivery delivery) {
      manual.add(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
      delivery.ack();
    }
  }

  @Bean
  Listeners listeners() {
    return new Listeners();
  }
}
