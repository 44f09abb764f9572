package io.sluice.samples.boot;

import io.sluice.spring.core.SluiceTemplate;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A small Spring Boot application on Sluice: at startup it sends a few orders with {@link
 * SluiceTemplate}, {@link OrderListener} consumes them, and the application exits once all were
 * handled (set {@code orders.exit-when-done=false} to keep it running; stop it with Ctrl-C, which
 * stops the listener gracefully).
 *
 * <pre>
 * java -cp samples/target/sluice-samples.jar io.sluice.samples.boot.OrdersApplication
 * </pre>
 */
@SpringBootApplication
public class OrdersApplication {
  private static final Logger log = LoggerFactory.getLogger(OrdersApplication.class);

  /** Starts the application; exits when the orders are handled unless told to keep running. */
  public static void main(String[] args) {
    ConfigurableApplicationContext context = SpringApplication.run(OrdersApplication.class, args);
    if (context.getEnvironment().getProperty("orders.exit-when-done", Boolean.class, true)) {
      System.exit(SpringApplication.exit(context));
    }
  }

  /** Sends {@code orders.count} orders and waits until the listener has handled them. */
  @Bean
  CommandLineRunner sendOrders(
      SluiceTemplate template,
      OrderListener listener,
      @Value("${orders.count:10}") int count,
      @Value("${orders.wait:30s}") Duration wait) {
    return args -> {
      String run = UUID.randomUUID().toString().substring(0, 8);
      listener.expect(count);
      for (int i = 1; i <= count; i++) {
        Order order = new Order(run + "-" + i, "customer-" + (i % 3), 1000 + i);
        // The tagged lines below are the README's "send from Spring" snippet.
        // tag::send[]
        template.send("orders", order.customer(), order);
        // end::send[]
      }
      log.info("Sent {} orders; waiting for OrderListener", count);
      if (listener.await(wait)) {
        log.info("All {} orders handled", count);
      } else {
        log.warn("Only {} of {} orders handled within {}", listener.handled(), count, wait);
      }
    };
  }
}
