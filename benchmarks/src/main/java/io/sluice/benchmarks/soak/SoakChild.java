package io.sluice.benchmarks.soak;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.Producer;
import io.sluice.api.Receipt;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.spi.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One soak round in its own JVM, run until the parent kills it with SIGKILL. Prints {@code READY}
 * on stdout once the store is open and work has begun.
 *
 * <ul>
 *   <li>{@code producer <round> <threads> <firstId> <work> <store...>}: {@code threads} threads
 *       send {@code p:<id>} to {@value #SENT} one at a time; each writes {@code S <id>} to {@code
 *       sent} before the send and {@code R <id> <partition> <offset>} to {@code receipts} (fsynced)
 *       after its receipt.
 *   <li>{@code consumer <round> <concurrency> <maxAttempts> <work> <store...>}: a manual-ack member
 *       of group {@value #GROUP} on {@value #WORK} (see {@link SoakConsumer}).
 *   <li>{@code warmup <work> <store...>}: a short produce and consume that exits normally, so that
 *       the JVM writes its class-data-sharing archive for the rounds after it.
 * </ul>
 */
public final class SoakChild {
  static final String SENT = "soak.sent";
  static final String WORK = "soak.work";
  static final String WARMUP = "soak.warmup";
  static final String GROUP = "soak";

  private SoakChild() {}

  /** Entry point; see the class javadoc for the arguments. */
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "producer" ->
          produce(
              Path.of(args[4]),
              SoakStore.fromArgs(args, 5),
              Integer.parseInt(args[2]),
              Long.parseLong(args[3]));
      case "consumer" ->
          consume(
              Path.of(args[4]),
              SoakStore.fromArgs(args, 5),
              args[1],
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]));
      case "warmup" -> warmup(SoakStore.fromArgs(args, 2));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void produce(Path work, SoakStore where, int threads, long firstId)
      throws Exception {
    Storage storage = where.open();
    Sluice sluice = Sluice.builder().storage(storage).build();
    Producer producer = sluice.producer();
    AtomicLong next = new AtomicLong(firstId);
    CountDownLatch firstReceipt = new CountDownLatch(1);
    LineLog sent = new LineLog(work.resolve("sent"), false);
    LineLog receipts = new LineLog(work.resolve("receipts"), true);
    for (int t = 0; t < threads; t++) {
      Thread.ofPlatform()
          .start(
              () -> {
                while (true) {
                  long id = next.getAndIncrement();
                  sent.append("S " + id);
                  Receipt r = producer.send(SENT, Message.of("p:" + id));
                  receipts.append("R " + id + " " + r.partition() + " " + r.offset());
                  firstReceipt.countDown();
                }
              });
    }
    firstReceipt.await(); // the kill falls while receipts flow (early kills cover start-up)
    ready();
    new CountDownLatch(1).await();
  }

  private static void consume(
      Path work, SoakStore where, String round, int concurrency, int maxAttempts) throws Exception {
    LineLog log = new LineLog(work.resolve("consumer"), false);
    Storage storage = StartLog.wrap(where.open(), round, log);
    Sluice sluice = Sluice.builder().storage(storage).build();
    CountDownLatch handling = new CountDownLatch(1);
    SoakConsumer.start(sluice, round, concurrency, maxAttempts, log, true, handling::countDown);
    // The kill falls while handlers run (early kills cover start-up); a member that gets nothing
    // in 10 s (every message leased by dead members) is killed anyway.
    handling.await(10, TimeUnit.SECONDS);
    ready();
    new CountDownLatch(1).await();
  }

  private static void warmup(SoakStore where) throws Exception {
    try (Sluice sluice = Sluice.builder().storage(where.open()).closeStorage(true).build()) {
      sluice.admin().createTopic(WARMUP, io.sluice.api.TopicConfig.partitions(1));
      CountDownLatch handled = new CountDownLatch(20);
      for (int i = 0; i < 20; i++) {
        sluice.producer().send(WARMUP, Message.of("w:" + i));
      }
      try (ConsumerGroup g =
          sluice
              .consumer("warmup")
              .subscribe(WARMUP)
              .manualAck()
              .lease(Duration.ofSeconds(2))
              .handler(
                  d -> {
                    d.ack();
                    handled.countDown();
                  })
              .start()) {
        if (!handled.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("warm-up consumer did not finish in 60 s");
        }
      }
    }
    ready();
  }

  private static void ready() {
    System.out.println("READY");
    System.out.flush();
  }
}
