package io.sluice.benchmarks.jdbc;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.benchmarks.Percentiles;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Send-to-handler latency with the producer and the consumer in DIFFERENT JVMs (issue 12.2), and
 * the consumer's idle claim rate. The parent JVM sends {@code rate} messages per second for {@code
 * seconds} (every millisecond it appends what is due as one batch, like a producer with a 1 ms
 * linger), each carrying its send time ({@code System.nanoTime}, one monotonic clock for every
 * process of this host); a child JVM consumes through the SPI the way the runtime's claim loop does
 * with a free handler slot for each message: claim up to 512 with the claim counting their starts
 * ({@code startInClaim}; else a claim, then a {@code markStarted} call), handle, hand the acks to
 * an ack thread (which acks whatever gathered while its previous call ran); when a claim finds
 * nothing it waits {@code pollMillis} or until the store wakes it ({@code watchAppends}: its own
 * appends, and with {@code notify} other processes' through LISTEN/NOTIFY). Then the parent stays
 * idle for 5 s and the child counts its claim statements in that time. Latencies and call times are
 * reported without the first quarter of the run (JIT warm-up: on two cores the compilers compete
 * with the run for seconds). Then, for the messages around p50, p90, p99 and p99.9, where their
 * time went: from the send time to the return of the append that stored it (the producer hands the
 * child its return times through a file), from then to the consumer's last wake-up before the claim
 * that returned it (the notification), from whichever came later to the start of that claim, and
 * the claim itself.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.jdbc.CrossProcessLatency \
 *     [url] [user] [rate] [seconds] [pollMillis] [notify] [startInClaim] [notifyIntervalMillis]
 * </pre>
 *
 * Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 10000, 40, 50, true,
 * true, 10 (the producer's {@code JdbcStorageConfig.notifyInterval}).
 */
public final class CrossProcessLatency {
  private static final String SCHEMA = "sluice_latency_bench";
  private static final int IDLE_SECONDS = 5;

  /** Per call: the producer's appends, the consumer's claims that found messages, its marks. */
  private static final Durations APPENDS = new Durations();

  private static final Durations CLAIMS = new Durations();
  private static final Durations MARKS = new Durations();

  /** The consumer's last wake-up by the store ({@code System.nanoTime}). */
  private static volatile long lastWake;

  private CrossProcessLatency() {}

  /** Parent (producer) or, with first argument {@code consume}, the child (consumer). */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("consume")) {
      consume(args);
      return;
    }
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
    long pollMillis = args.length > 4 ? Long.parseLong(args[4]) : 50;
    boolean notify = args.length <= 5 || Boolean.parseBoolean(args[5]);
    boolean startInClaim = args.length <= 6 || Boolean.parseBoolean(args[6]);
    Duration notifyInterval = Duration.ofMillis(args.length > 7 ? Long.parseLong(args[7]) : 10);
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute(BenchSql.dropSchema(url, SCHEMA));
    }
    int total = rate * seconds;
    Path stored = Files.createTempFile("sluice-latency", ".bin");
    try (JdbcStorage store = open(url, user, notify, notifyInterval)) {
      store.createTopic("lat", TopicConfig.partitions(4));
      Process child =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrossProcessLatency.class.getName(),
                  "consume",
                  url,
                  user,
                  Integer.toString(total),
                  Long.toString(pollMillis),
                  Boolean.toString(notify),
                  Boolean.toString(startInClaim),
                  stored.toString())
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        // start-up logging
      }
      writeLongs(stored, produce(store, rate, total));
      while ((line = out.readLine()) != null) {
        if (!line.contains(" INFO ")) {
          System.out.println(line);
        }
      }
      child.waitFor(1, TimeUnit.MINUTES);
    } finally {
      Files.deleteIfExists(stored);
    }
  }

  private static JdbcStorage open(
      String url, String user, boolean notify, Duration notifyInterval) {
    return JdbcStorage.create(
        url,
        user,
        null,
        JdbcStorageConfig.builder()
            .schema(SCHEMA)
            .maxPoolSize(4)
            .retentionInterval(null)
            .notifications(notify)
            .notifyInterval(notifyInterval)
            .build());
  }

  /** Sends at {@code rate}; returns, per message, when the append that stored it returned. */
  private static long[] produce(JdbcStorage store, int rate, int total) {
    long[] storedAt = new long[total];
    long start = System.nanoTime();
    int sent = 0;
    while (sent < total) {
      long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
      List<OutgoingMessage> batch = new ArrayList<>();
      for (; sent < due; sent++) {
        byte[] payload = new byte[256];
        ByteBuffer.wrap(payload).putInt(sent).putLong(System.nanoTime());
        batch.add(OutgoingMessage.of(Message.builder(payload).key(Integer.toString(sent)).build()));
      }
      if (!batch.isEmpty()) {
        long t0 = System.nanoTime();
        store.append("lat", batch);
        long t1 = System.nanoTime();
        Arrays.fill(storedAt, sent - batch.size(), sent, t1);
        APPENDS.add(t1 - t0, sent > total / 4);
      }
      LockSupport.parkNanos(1_000_000);
    }
    System.out.printf(
        Locale.ROOT,
        "producer: %,d appends of %.1f messages on average; append %s%n",
        APPENDS.count(),
        total / (double) APPENDS.count(),
        APPENDS);
    return storedAt;
  }

  private static void writeLongs(Path file, long[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES);
    b.asLongBuffer().put(values);
    Files.write(file, b.array());
  }

  private static long[] readLongs(Path file, int count) throws IOException {
    long[] values = new long[count];
    ByteBuffer.wrap(Files.readAllBytes(file)).asLongBuffer().get(values);
    return values;
  }

  private static void consume(String[] args) throws Exception {
    String url = args[1];
    String user = args[2];
    int total = Integer.parseInt(args[3]);
    long pollMillis = Long.parseLong(args[4]);
    boolean notify = Boolean.parseBoolean(args[5]);
    boolean startInClaim = Boolean.parseBoolean(args[6]);
    Path stored = Path.of(args[7]);
    long[] latencies = new long[total];
    Trace trace = new Trace(total);
    AtomicLong claims = new AtomicLong();
    Semaphore wake = new Semaphore(0);
    try (JdbcStorage store = open(url, user, notify, Duration.ofMillis(10));
        AppendWatch w =
            store.watchAppends(
                "lat",
                () -> {
                  lastWake = System.nanoTime();
                  wake.release();
                })) {
      java.util.concurrent.LinkedBlockingQueue<Ack> acks =
          new java.util.concurrent.LinkedBlockingQueue<>();
      Thread acker =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    List<Ack> batch = new ArrayList<>();
                    try {
                      while (true) {
                        batch.add(acks.take());
                        acks.drainTo(batch);
                        store.ack(new AckRequest("g", batch));
                        batch.clear();
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      System.out.println("ready");
      int received = 0;
      while (received < total) {
        received +=
            round(
                store,
                claims,
                latencies,
                wake,
                pollMillis,
                acks,
                received > total / 4,
                startInClaim,
                trace);
      }
      long before = claims.get();
      long idleEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
      while (System.nanoTime() < idleEnd) {
        round(store, claims, latencies, wake, pollMillis, acks, false, startInClaim, trace);
      }
      acker.interrupt();
      double idleRate = (claims.get() - before) / (double) IDLE_SECONDS;
      report(latencies, pollMillis, notify, startInClaim, idleRate);
      trace.report(latencies, total / 4, readLongs(stored, total));
    }
  }

  /** One claim round; waits for a wake-up or the poll interval when it found nothing. */
  private static int round(
      JdbcStorage store,
      AtomicLong claims,
      long[] latencies,
      Semaphore wake,
      long pollMillis,
      java.util.Queue<Ack> ackQueue,
      boolean warm,
      boolean startInClaim,
      Trace trace)
      throws InterruptedException {
    wake.drainPermits();
    long woken = lastWake;
    long t0 = System.nanoTime();
    List<Lease> leases =
        store.claim(
            ClaimRequest.of("g", "lat", 512, Duration.ofSeconds(30)).withStart(startInClaim));
    claims.incrementAndGet();
    if (leases.isEmpty()) {
      wake.tryAcquire(pollMillis, TimeUnit.MILLISECONDS);
      return 0;
    }
    long t1 = System.nanoTime();
    CLAIMS.add(t1 - t0, warm);
    long now = t1;
    if (!startInClaim) {
      List<DeliveryId> ids = new ArrayList<>(leases.size());
      leases.forEach(l -> ids.add(l.id()));
      store.markStarted(new StartRequest("g", ids));
      now = System.nanoTime();
      MARKS.add(now - t1, warm);
    }
    for (Lease l : leases) {
      ByteBuffer b = ByteBuffer.wrap(l.message().message().payload());
      int n = b.getInt();
      long sent = b.getLong();
      latencies[n] = now - sent;
      trace.record(n, sent, woken, t0, t1);
      ackQueue.add(Ack.of(l.id()));
    }
    return leases.size();
  }

  private static void report(
      long[] latencies, long pollMillis, boolean notify, boolean startInClaim, double idleRate) {
    Percentiles p = new Percentiles(latencies, latencies.length / 4, latencies.length);
    System.out.printf(
        Locale.ROOT,
        "consumer in another JVM, poll %d ms, notifications %s, starts %s: latency p50 %.2f ms,"
            + " p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; idle: %.1f claim statements/s%n",
        pollMillis,
        notify ? "on" : "off",
        startInClaim ? "in the claim" : "marked after it",
        p.ms(0.5),
        p.ms(0.99),
        p.ms(0.999),
        p.maxMs(),
        idleRate);
    System.out.printf(
        Locale.ROOT,
        "consumer: %,d claims found messages (%.1f each on average); claim %s; markStarted %s%n",
        CLAIMS.count(),
        latencies.length / (double) CLAIMS.count(),
        CLAIMS,
        MARKS);
  }

  /** Per message: its send time, the wake-up before the claim that returned it, that claim. */
  private static final class Trace {
    private final long[] sent;
    private final long[] woken;
    private final long[] claimStart;
    private final long[] claimEnd;

    Trace(int total) {
      sent = new long[total];
      woken = new long[total];
      claimStart = new long[total];
      claimEnd = new long[total];
    }

    void record(int n, long sentAt, long wokenAt, long start, long end) {
      sent[n] = sentAt;
      woken[n] = wokenAt;
      claimStart[n] = start;
      claimEnd[n] = end;
    }

    /**
     * For the messages after {@code from} at each quantile of latency (the 0.5 % of them from the
     * quantile up), the mean of each part of their latency.
     */
    void report(long[] latencies, int from, long[] storedAt) {
      Integer[] order = new Integer[latencies.length - from];
      for (int i = 0; i < order.length; i++) {
        order[i] = from + i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(latencies[a], latencies[b]));
      System.out.println(
          "where the time went (means around each quantile): send -> append returned, -> wake-up"
              + " (notification), -> claim start, claim");
      for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
        int lo = (int) (order.length * q);
        int hi = Math.min(order.length, lo + Math.max(1, order.length / 200));
        double append = 0;
        double notified = 0;
        double waited = 0;
        double claim = 0;
        for (int k = lo; k < hi; k++) {
          int i = order[k];
          long ready = Math.max(storedAt[i], woken[i]);
          append += storedAt[i] - sent[i];
          notified += Math.max(0, woken[i] - storedAt[i]);
          waited += claimStart[i] - ready;
          claim += claimEnd[i] - claimStart[i];
        }
        int c = hi - lo;
        System.out.printf(
            Locale.ROOT,
            "  p%s %.2f ms: %.2f + %.2f + %.2f + %.2f ms%n",
            q == 0.999 ? "99.9" : Integer.toString((int) Math.round(q * 100)),
            latencies[order[lo]] / 1e6,
            append / c / 1e6,
            notified / c / 1e6,
            waited / c / 1e6,
            claim / c / 1e6);
      }
    }
  }

  /** Call times; those after the warm-up are kept for percentiles. */
  private static final class Durations {
    private long count;
    private long[] kept = new long[1024];
    private int size;

    void add(long nanos, boolean warm) {
      count++;
      if (warm) {
        if (size == kept.length) {
          kept = Arrays.copyOf(kept, size * 2);
        }
        kept[size++] = nanos;
      }
    }

    long count() {
      return count;
    }

    @Override
    public String toString() {
      if (size == 0) {
        return "(none after warm-up)";
      }
      Percentiles p = new Percentiles(kept, 0, size);
      return String.format(
          Locale.ROOT, "mean %.2f / p50 %.2f / p99 %.2f ms", p.meanMs(), p.ms(0.5), p.ms(0.99));
    }
  }
}
