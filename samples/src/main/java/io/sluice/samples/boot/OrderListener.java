package io.sluice.samples.boot;

import io.sluice.api.Delivery;
import io.sluice.spring.listener.SluiceListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Consumes the orders topic: the payload arrives as an {@link Order} read from JSON. */
@Component
public class OrderListener {
  private static final Logger log = LoggerFactory.getLogger(OrderListener.class);

  private final AtomicInteger handled = new AtomicInteger();
  private final AtomicReference<CountDownLatch> expected =
      new AtomicReference<>(new CountDownLatch(0));

  /** Handles one order (the README's "listen in Spring" snippet). */
  // tag::listen[]
  @SluiceListener(
      topic = "orders",
      group = "fulfilment",
      concurrency = "4",
      maxAttempts = "5",
      backoff = "200ms,2.0,10s")
  public void on(Order order, Delivery delivery) {
    log.info(
        "Shipping {} for {} (partition {}, offset {})",
        order.id(),
        order.customer(),
        delivery.partition(),
        delivery.offset());
    handled.incrementAndGet();
    expected.get().countDown();
  }

  // end::listen[]

  void expect(int count) {
    expected.set(new CountDownLatch(count));
  }

  boolean await(Duration wait) throws InterruptedException {
    return expected.get().await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Orders handled since the application started. */
  public int handled() {
    return handled.get();
  }
}
