package io.sluice.samples.orders;

import io.sluice.Sluice;
import io.sluice.api.Backoff;
import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.RetryPolicy;
import io.sluice.consumer.SluiceAdmin;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo itself, on any store: an {@code orders} topic with 4 partitions, a {@code payments}
 * group that charges each order through the flaky {@link PaymentGateway}, retries with exponential
 * backoff, and a dead-letter topic for orders that fail every attempt.
 */
public final class OrderPipeline {
  static final String TOPIC = "orders";
  static final String DLQ = "orders.dlq";
  static final String GROUP = "payments";

  /**
   * What to run.
   *
   * @param orders distinct orders to send
   * @param resendEvery send every n-th order twice (a client retry), 0 for never
   * @param maxAttempts deliveries per order before it is dead-lettered
   * @param backoff the retry backoff
   * @param timeout give up waiting after this long
   */
  public record Settings(
      int orders, int resendEvery, int maxAttempts, Backoff backoff, Duration timeout) {}

  private final Sluice sluice;
  private final PaymentGateway gateway;
  private final Settings settings;
  private final PrintStream out;
  private final Set<String> paid = ConcurrentHashMap.newKeySet();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong consumerDuplicates = new AtomicLong();

  /** A pipeline on {@code sluice} printing progress to {@code out}. */
  public OrderPipeline(Sluice sluice, PaymentGateway gateway, Settings settings, PrintStream out) {
    this.sluice = sluice;
    this.gateway = gateway;
    this.settings = settings;
    this.out = out;
  }

  /** The hooks the demo counts retries, dead letters and skipped duplicates with. */
  private ConsumerListener counters() {
    return new ConsumerListener() {
      @Override
      public void onRetried(Delivery d, Duration delay, Throwable failure) {
        retried.incrementAndGet();
      }

      @Override
      public void onDeadLettered(Delivery d, String topic, String reason, Throwable failure) {
        deadLettered.incrementAndGet();
      }

      @Override
      public void onDuplicateSkipped(Delivery d) {
        consumerDuplicates.incrementAndGet();
      }
    };
  }

  /** Runs the demo and returns its report; {@code backend} names the store in the report. */
  public DemoReport run(String backend) throws InterruptedException {
    SluiceAdmin admin = sluice.admin();
    admin.createTopic(TOPIC, TopicConfig.partitions(4));
    long start = System.nanoTime();
    ConsumerGroup group =
        sluice
            .consumer(GROUP)
            .subscribe(TOPIC)
            .concurrency(32)
            .retry(RetryPolicy.maxAttempts(settings.maxAttempts()).backoff(settings.backoff()))
            .deadLetterTopic(DLQ)
            .listener(counters())
            .handler(this::pay)
            .start();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try {
      long[] sent = produce();
      long produced = sent[0];
      ticker.scheduleAtFixedRate(() -> progress(produced), 250, 500, TimeUnit.MILLISECONDS);
      boolean done = awaitSettled(produced, admin, start);
      ticker.shutdownNow();
      progress(produced);
      if (!done) {
        out.println("Timed out after " + settings.timeout().toSeconds() + " s");
      }
      return new DemoReport(
          backend,
          produced,
          sent[1] + consumerDuplicates.get(),
          paid.size(),
          retried.get(),
          deadLettered.get(),
          admin.countDeadLetters(DLQ),
          admin.lag(GROUP, TOPIC),
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      ticker.shutdownNow();
      group.close(Duration.ofSeconds(5));
    }
  }

  private void pay(Delivery delivery) {
    Order order = Order.decode(delivery.payloadAsString());
    gateway.charge(order);
    paid.add(order.id());
  }

  /** Sends the orders asynchronously; returns {distinct stored, duplicates skipped}. */
  private long[] produce() {
    List<CompletableFuture<Receipt>> receipts = new ArrayList<>(settings.orders() + 64);
    for (int i = 1; i <= settings.orders(); i++) {
      Order order = new Order("order-" + i, "customer-" + (i % 97), 100L * (i % 50) + 99);
      Message message =
          Message.builder(order.encode()).key(order.customer()).idempotencyKey(order.id()).build();
      receipts.add(sluice.producer().sendAsync(TOPIC, message));
      if (settings.resendEvery() > 0 && i % settings.resendEvery() == 0) {
        sluice.producer().flush();
        receipts.add(sluice.producer().sendAsync(TOPIC, message));
      }
    }
    long stored = 0;
    long duplicates = 0;
    for (CompletableFuture<Receipt> r : receipts) {
      if (r.join().duplicate()) {
        duplicates++;
      } else {
        stored++;
      }
    }
    out.printf("Sent %d orders to topic %s (4 partitions)%n", stored, TOPIC);
    return new long[] {stored, duplicates};
  }

  private boolean awaitSettled(long produced, SluiceAdmin admin, long start)
      throws InterruptedException {
    long deadline = start + settings.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (paid.size() + deadLettered.get() >= produced && admin.lag(GROUP, TOPIC) == 0) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private void progress(long produced) {
    out.printf(
        "  paid %5d / %d   retried %5d   dead-lettered %4d   gateway calls %6d%n",
        paid.size(), produced, retried.get(), deadLettered.get(), gateway.calls());
  }
}
