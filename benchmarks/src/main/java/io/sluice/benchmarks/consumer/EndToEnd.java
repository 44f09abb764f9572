package io.sluice.benchmarks.consumer;

import io.sluice.ProducerConfig;
import io.sluice.Sluice;
import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.Producer;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.benchmarks.Percentiles;
import io.sluice.benchmarks.Progress;
import io.sluice.benchmarks.file.FileStorageBenchmark;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerListener;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import io.sluice.spi.Storage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end consumer benchmark (not JMH: one long run per measurement).
 *
 * <ul>
 *   <li>{@code drain}: preload {@code count} messages of {@code size} bytes into a topic of 4
 *       partitions; drain them through the SPI alone (one thread: claims of 1,000, then one ack
 *       call per claim; then again with one {@code markStarted} call per claim as well, the least
 *       the runtime must do), each in its own group; then time a consumer group draining them
 *       through the runtime with a no-op handler and per-message (auto) acks, twice (a first, cold
 *       drain that also pays for JIT compilation of the runtime's code, then a second group: the
 *       steady state), and print each one's ratio to the SPI path with starts.
 *   <li>{@code latency}: send {@code rate} messages per second for {@code seconds}, each carrying
 *       its send time; the consumer (concurrency 64, prefetch 512, or as given) records
 *       send-to-handler latency; prints p50/p99/p99.9 without the first fifth (JIT warm-up), and
 *       p50/p99 of each 5 s window by send time, which shows a backlog built while the code was
 *       still being compiled and how long the group took to work it off.
 *   <li>{@code send}: one thread sends {@code count} messages one at a time, first with the
 *       blocking {@code send}, then with {@code sendAsync(...).join()} (which waits for the default
 *       1 ms linger); prints the rate and p50/p99 of each.
 *   <li>{@code send-async}: one thread calls {@code sendAsync} for each of {@code count} messages
 *       without waiting (the producer coalesces them), then waits for the last; beside it, the raw
 *       limit of the same store: one thread appending pre-built batches of 1,000 through the SPI.
 * </ul>
 *
 * Usage: {@code EndToEnd <file|file-os|postgresql> <drain|latency|send|send-async> [count|rate]
 * [seconds] [lingerMicros] [concurrency] [prefetch]} (latency mode: the producer's linger, default
 * 1,000 µs as in {@code ProducerConfig.DEFAULT}; the group's concurrency and prefetch, default 64
 * and 512; 0 for both takes the group defaults).
 */
public final class EndToEnd {
  private static final int PARTITIONS = 4;
  private static final int SIZE = 256;
  private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  /** This run's schema on PostgreSQL, dropped when the run ends. */
  private static final String PG_SCHEMA = "sluice_bench_" + Long.toHexString(System.nanoTime());

  private EndToEnd() {}

  /** Entry point; see the class description. */
  public static void main(String[] args) throws Exception {
    String backend = args[0];
    String mode = args[1];
    Path dir = Files.createTempDirectory("sluice-e2e");
    try (Storage storage = open(backend, dir);
        Sluice sluice = Sluice.builder().storage(storage).build()) {
      if (mode.equals("drain")) {
        drain(sluice, backend, args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000);
      } else if (mode.equals("send")) {
        sends(sluice, backend, args.length > 2 ? Integer.parseInt(args[2]) : 5_000);
      } else if (mode.equals("send-async")) {
        asyncSends(sluice, backend, args.length > 2 ? Integer.parseInt(args[2]) : 5_000_000);
      } else {
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        long lingerMicros = args.length > 4 ? Long.parseLong(args[4]) : 1_000;
        int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 64;
        int prefetch = args.length > 6 ? Integer.parseInt(args[6]) : 512;
        latency(
            sluice,
            backend,
            rate,
            seconds,
            Duration.ofNanos(lingerMicros * 1_000),
            concurrency,
            prefetch);
      }
    } finally {
      FileStorageBenchmark.delete(dir);
      if (backend.equals("postgresql")) {
        try (java.sql.Connection c =
                java.sql.DriverManager.getConnection(PG_URL, "postgres", null);
            java.sql.Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA IF EXISTS " + PG_SCHEMA + " CASCADE");
        }
      }
    }
    System.exit(0);
  }

  private static Storage open(String backend, Path dir) {
    return switch (backend) {
      case "file", "file-os" ->
          FileStorage.open(
              FileStorageConfig.builder(dir)
                  .durability(backend.equals("file") ? Durability.SYNC : Durability.OS)
                  .build());
      case "postgresql" ->
          JdbcStorage.create(
              PG_URL,
              "postgres",
              null,
              JdbcStorageConfig.builder().schema(PG_SCHEMA).maxPoolSize(16).build());
      default -> throw new IllegalArgumentException("backend: file, file-os or postgresql");
    };
  }

  private static void drain(Sluice sluice, String backend, int count) {
    sluice.admin().createTopic("bench", TopicConfig.partitions(PARTITIONS));
    long t0 = System.nanoTime();
    Producer producer = sluice.newProducer(ProducerConfig.DEFAULT.withMaxBatchMessages(2_000));
    List<CompletableFuture<?>> pending = new ArrayList<>();
    byte[] payload = new byte[SIZE];
    AtomicLong sent = new AtomicLong();
    try (Progress p = Progress.count("preload", count, sent::get)) {
      for (int i = 0; i < count; i += 1_000) {
        List<Message> batch = new ArrayList<>(1_000);
        for (int j = i; j < Math.min(count, i + 1_000); j++) {
          batch.add(Message.builder(payload).key(Integer.toString(j)).build());
        }
        pending.add(producer.sendAllAsync("bench", batch));
        sent.addAndGet(batch.size());
        if (pending.size() > 16) {
          pending.remove(0).join();
        }
      }
      pending.forEach(CompletableFuture::join);
    }
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "%s: preloaded %,d x %d B in %.1f s (%,.0f msg/s)%n",
        backend, count, SIZE, loadSeconds, count / loadSeconds);
    drainThroughSpi(sluice.storage(), backend, "spi-ack", false, count);
    double spi = drainThroughSpi(sluice.storage(), backend, "spi-start-ack", true, count);
    double cold = runtimeDrain(sluice, backend, "drain", "cold: the first runtime drain", count);
    double warm = runtimeDrain(sluice, backend, "drain-2", "warm: a second group", count);
    System.out.printf(
        "%s: runtime / SPI path with starts: cold %.0f%%, warm %.0f%%%n",
        backend, 100 * cold / spi, 100 * warm / spi);
  }

  /**
   * Times one consumer group draining the preloaded topic through the runtime (no-op handler,
   * per-message auto acks) and prints the rate; returns messages per second. The first such drain
   * in a JVM also pays for compiling the runtime's code (on 2 cores the JIT's threads take a good
   * share of the CPU), the second shows the steady state.
   */
  private static double runtimeDrain(
      Sluice sluice, String backend, String group, String label, int count) {
    AtomicLong handled = new AtomicLong();
    AtomicLong stale = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> lastError = new AtomicReference<>();
    ConsumerListener listener =
        new ConsumerListener() {
          @Override
          public void onStaleAck(Delivery d) {
            stale.incrementAndGet();
          }

          @Override
          public void onError(String group, Throwable error) {
            errors.incrementAndGet();
            lastError.set(error);
          }
        };
    long start = System.nanoTime();
    ConsumerGroup g =
        sluice
            .consumer(group)
            .subscribe("bench")
            .concurrency(256)
            .prefetch(2_048)
            .batchSize(1_000)
            .pollInterval(Duration.ofMillis(1))
            .listener(listener)
            .handler(d -> handled.incrementAndGet())
            .start();
    try (Progress p = Progress.count("runtime drain (" + group + ")", count, handled::get)) {
      while (sluice.admin().lag(group, "bench") > 0) {
        LockSupport.parkNanos(5_000_000);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    g.close();
    System.out.printf(
        "%s: runtime drain (%s) of %,d messages (handled %,d, stale %,d, errors %,d) in %.2f s"
            + " = %,.0f msg/s%n",
        backend, label, count, handled.get(), stale.get(), errors.get(), seconds, count / seconds);
    if (lastError.get() != null) {
      lastError.get().printStackTrace(System.out);
    }
    return count / seconds;
  }

  /**
   * Drains the preloaded topic through the SPI alone in one thread, for group {@code group}: claims
   * of 1,000, one ack call per claim, and (when {@code start}) one {@code markStarted} call per
   * claim before it. Returns messages per second.
   */
  private static double drainThroughSpi(
      Storage storage, String backend, String group, boolean start, int count) {
    long t0 = System.nanoTime();
    AtomicLong done = new AtomicLong();
    try (Progress p = Progress.count("SPI drain (" + group + ")", count, done::get)) {
      drainLoop(storage, group, start, done);
    }
    long n = done.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "%s: SPI path, one thread, claim 1,000 + %s: %,d messages in %.2f s = %,.0f msg/s%n",
        backend, start ? "markStarted + ack" : "ack", n, seconds, n / seconds);
    return n / seconds;
  }

  /** Claims 1,000 at a time until nothing is left, acking (and first marking started) each. */
  private static void drainLoop(Storage storage, String group, boolean start, AtomicLong done) {
    while (true) {
      List<Lease> leases =
          storage.claim(ClaimRequest.of(group, "bench", 1_000, Duration.ofMinutes(1)));
      if (leases.isEmpty()) {
        return;
      }
      List<DeliveryId> ids = new ArrayList<>(leases.size());
      List<Ack> acks = new ArrayList<>(leases.size());
      for (Lease l : leases) {
        ids.add(l.id());
        acks.add(Ack.of(l.id()));
      }
      if (start) {
        storage.markStarted(new StartRequest(group, ids));
      }
      storage.ack(new AckRequest(group, acks));
      done.addAndGet(leases.size());
    }
  }

  private static void asyncSends(Sluice sluice, String backend, int count) {
    sluice.admin().createTopic("raw", TopicConfig.partitions(PARTITIONS));
    sluice.admin().createTopic("async", TopicConfig.partitions(PARTITIONS));
    Message message = Message.of(new byte[SIZE]);
    List<OutgoingMessage> batch = new ArrayList<>(1_000);
    for (int i = 0; i < 1_000; i++) {
      batch.add(OutgoingMessage.of(message));
    }
    Producer producer = sluice.producer();
    for (int round = 1; round <= 2; round++) { // the first round warms both paths up
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i += 1_000) {
        sluice.storage().append("raw", batch);
      }
      double raw = count / ((System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      CompletableFuture<Receipt> last = null;
      for (int i = 0; i < count; i++) {
        last = producer.sendAsync("async", message);
      }
      last.join();
      producer.flush();
      double async = count / ((System.nanoTime() - t0) / 1e9);
      System.out.printf(
          "%s: round %d, one thread, %,d x sendAsync: %,.0f msg/s (%.0f%% of the raw limit: one"
              + " thread appending batches of 1,000 through the SPI, %,.0f msg/s)%n",
          backend, round, count, async, 100 * async / raw, raw);
    }
  }

  private static void latency(
      Sluice sluice,
      String backend,
      int rate,
      int seconds,
      Duration linger,
      int concurrency,
      int prefetch) {
    sluice.admin().createTopic("lat", TopicConfig.partitions(PARTITIONS));
    int total = rate * seconds;
    AtomicLongArray latencies = new AtomicLongArray(total);
    AtomicLong received = new AtomicLong();
    var builder = sluice.consumer("lat").subscribe("lat");
    if (concurrency > 0) {
      builder =
          builder
              .concurrency(concurrency)
              .prefetch(prefetch)
              .batchSize(Math.max(64, prefetch))
              .pollInterval(Duration.ofMillis(1));
    }
    ConsumerGroup g =
        builder
            .handler(
                d -> {
                  ByteBuffer b = ByteBuffer.wrap(d.payload());
                  int n = b.getInt();
                  latencies.set(n, System.nanoTime() - b.getLong());
                  received.incrementAndGet();
                })
            .start();
    Producer producer = sluice.newProducer(ProducerConfig.DEFAULT.withLinger(linger));
    long interval = 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int i = 0; i < total; i++) {
      next += interval;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      byte[] payload = new byte[SIZE];
      ByteBuffer.wrap(payload).putInt(i).putLong(System.nanoTime());
      producer.sendAsync("lat", Message.builder(payload).key(Integer.toString(i)).build());
    }
    while (received.get() < total) {
      LockSupport.parkNanos(10_000_000);
    }
    g.close();
    long[] all = new long[total];
    for (int i = 0; i < total; i++) {
      all[i] = latencies.get(i);
    }
    // The first fifth warms up the JIT and is not counted.
    Percentiles p = new Percentiles(all, total / 5, total);
    System.out.printf(
        "%s: %,d msg/s for %d s, linger %d us (first 20%% not counted), end-to-end latency"
            + " p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
        backend,
        rate,
        seconds,
        linger.toNanos() / 1_000,
        p.ms(0.5),
        p.ms(0.99),
        p.ms(0.999),
        p.maxMs());
    StringBuilder windows = new StringBuilder("by send time, p50/p99 ms:");
    int window = 5 * rate;
    for (int from = 0; from < total; from += window) {
      Percentiles w = new Percentiles(all, from, Math.min(total, from + window));
      windows.append(String.format(" %ds %.1f/%.1f", from / rate, w.ms(0.5), w.ms(0.99)));
    }
    System.out.println(windows);
  }

  private static void sends(Sluice sluice, String backend, int count) {
    sluice.admin().createTopic("send", TopicConfig.partitions(PARTITIONS));
    Producer producer = sluice.producer();
    Message message = Message.of(new byte[SIZE]);
    for (int i = 0; i < 500; i++) {
      producer.send("send", message); // warm-up
    }
    long[] blocking = new long[count];
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      producer.send("send", message);
      blocking[i] = System.nanoTime() - start;
    }
    double blockingRate = count / ((System.nanoTime() - t0) / 1e9);
    long[] joined = new long[count];
    t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      producer.sendAsync("send", message).join();
      joined[i] = System.nanoTime() - start;
    }
    double joinedRate = count / ((System.nanoTime() - t0) / 1e9);
    printSends(backend, "send()", blockingRate, blocking);
    printSends(backend, "sendAsync().join()", joinedRate, joined);
  }

  private static void printSends(String backend, String how, double rate, long[] nanos) {
    Percentiles p = new Percentiles(nanos, 0, nanos.length);
    System.out.printf(
        "%s: one thread, %,d x %s: %,.0f msg/s, p50 %.3f ms, p99 %.3f ms%n",
        backend, nanos.length, how, rate, p.ms(0.5), p.ms(0.99));
  }
}
