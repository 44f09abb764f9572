package io.sluice.benchmarks.jdbc;

import static io.sluice.benchmarks.jdbc.BenchSql.execute;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Drain + ack through the SPI beside the raw {@code DELETE ... SKIP LOCKED} dequeue, in one run,
 * with the PostgreSQL server's CPU time per phase (read from /proc, so only when the server runs on
 * this host). 256-byte payloads.
 *
 * <ol>
 *   <li>raw: {@code messages} rows inserted, then dequeued by {@code sessions} sessions with {@code
 *       DELETE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 100) RETURNING};
 *   <li>SPI: {@code messages} unkeyed messages in a topic of 8 partitions, drained by {@code
 *       sessions} threads, each looping claim(1,000), one markStarted of the batch, acks of it in
 *       slices of {@code ackSlice} (the runtime acks what finished while the previous call ran);
 *   <li>runtime: the same messages in another topic, drained by one consumer group of the runtime
 *       (mq-consumer) with a no-op handler and automatic acks: prefetch 2,048, claims of 1,000,
 *       poll 1 ms, once per concurrency in the system property {@code drain.concurrency} (a comma
 *       list, default {@code 256,2048}; each drains a topic of its own). A member marks only
 *       deliveries that have a free handler slot, so its concurrency bounds a start-mark batch: 256
 *       slots give about 7 {@code markStarted} statements per 1,000 messages with a no-op handler,
 *       2,048 about 1. System property {@code drain.prefetch} changes the prefetch.
 * </ol>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.jdbc.DrainBench \
 *     [url] [user] [messages] [sessions] [ackSlice]
 * </pre>
 *
 * Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 400000, 8, 250.
 */
public final class DrainBench {
  private static final String SCHEMA = "sluice_drain_bench";

  private DrainBench() {}

  /** Runs both phases and prints the figures. */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 400_000;
    int sessions = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    int ackSlice = args.length > 4 ? Integer.parseInt(args[4]) : 250;
    byte[] payload = new byte[256];
    PgCpu cpu = PgCpu.of(url, user);
    RawCeilings raw = new RawCeilings(url, user, null);
    raw.reset();
    raw.insert(4, messages / 4 / 100, payload);
    execute(url, user, BenchSql.analyze(url, "sluice_bench_raw.q"));
    double c0 = cpu.seconds();
    double rawRate = raw.dequeue(sessions);
    double rawCpu = (cpu.seconds() - c0) / messages * 1e6;

    execute(url, user, BenchSql.dropSchema(url, SCHEMA));
    JdbcStorageConfig config =
        JdbcStorageConfig.builder()
            .schema(SCHEMA)
            .maxPoolSize(sessions + 2)
            .retentionInterval(null)
            .build();
    double spiRate;
    double spiCpu;
    List<double[]> runtime = new ArrayList<>();
    try (JdbcStorage store = JdbcStorage.create(BenchSql.batched(url), user, null, config)) {
      store.createTopic("bench", TopicConfig.partitions(8));
      List<OutgoingMessage> batch = new ArrayList<>(1_000);
      for (int i = 0; i < 1_000; i++) {
        batch.add(OutgoingMessage.of(Message.of(payload)));
      }
      for (int i = 0; i < messages; i += 1_000) {
        store.append("bench", batch);
      }
      execute(url, user, BenchSql.analyze(url, SCHEMA + ".mq_messages"));
      c0 = cpu.seconds();
      spiRate = Parallel.rate(sessions, () -> drain(store, ackSlice));
      spiCpu = (cpu.seconds() - c0) / messages * 1e6;
      for (int concurrency : concurrencies()) {
        String topic = "bench-rt-" + concurrency;
        store.createTopic(topic, TopicConfig.partitions(8));
        for (int i = 0; i < messages; i += 1_000) {
          store.append(topic, batch);
        }
        execute(url, user, BenchSql.analyze(url, SCHEMA + ".mq_messages"));
        c0 = cpu.seconds();
        double rate = runtime(store, topic, concurrency, messages);
        runtime.add(new double[] {concurrency, rate, (cpu.seconds() - c0) / messages * 1e6});
      }
    }
    print("raw DELETE..SKIP LOCKED LIMIT 100, " + sessions + " sessions", rawRate, rawCpu);
    print(
        "SPI claim(1000)+markStarted+ack/" + ackSlice + ", " + sessions + " threads",
        spiRate,
        spiCpu);
    System.out.printf(Locale.ROOT, "SPI / raw: %.2f%n", spiRate / rawRate);
    for (double[] r : runtime) {
      print(
          String.format(Locale.ROOT, "runtime drain (1 member, concurrency %.0f, auto ack)", r[0]),
          r[1],
          r[2]);
      System.out.printf(Locale.ROOT, "  runtime / raw: %.2f (target >= 0.8)%n", r[1] / rawRate);
    }
  }

  private static List<Integer> concurrencies() {
    List<Integer> values = new ArrayList<>();
    for (String v : System.getProperty("drain.concurrency", "256,2048").split(",")) {
      values.add(Integer.parseInt(v.trim()));
    }
    return values;
  }

  /** Drains {@code topic} with one runtime consumer group; msg/s until its lag is 0. */
  private static double runtime(JdbcStorage store, String topic, int concurrency, int messages) {
    try (io.sluice.Sluice sluice =
        io.sluice.Sluice.builder().storage(store).closeStorage(false).build()) {
      String group = "rt-" + concurrency;
      long start = System.nanoTime();
      io.sluice.consumer.ConsumerGroup g =
          sluice
              .consumer(group)
              .subscribe(topic)
              .concurrency(concurrency)
              .prefetch(Integer.getInteger("drain.prefetch", 2_048))
              .batchSize(1_000)
              .pollInterval(Duration.ofMillis(1))
              .handler(d -> {})
              .start();
      while (sluice.admin().lag(group, topic) > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      g.close();
      return messages / seconds;
    }
  }

  private static long drain(JdbcStorage store, int ackSlice) {
    long done = 0;
    int empty = 0;
    while (empty < 3) {
      List<Lease> leases = store.claim(ClaimRequest.of("g", "bench", 1_000, Duration.ofMinutes(1)));
      empty = leases.isEmpty() ? empty + 1 : 0;
      if (leases.isEmpty()) {
        continue;
      }
      List<DeliveryId> ids = new ArrayList<>(leases.size());
      leases.forEach(l -> ids.add(l.id()));
      store.markStarted(new StartRequest("g", ids));
      for (int i = 0; i < ids.size(); i += ackSlice) {
        List<Ack> acks = new ArrayList<>(ackSlice);
        for (DeliveryId id : ids.subList(i, Math.min(ids.size(), i + ackSlice))) {
          acks.add(Ack.of(id));
        }
        done += store.ack(new AckRequest("g", acks)).applied();
      }
    }
    return done;
  }

  private static void print(String what, double rate, double cpuMicrosPerMessage) {
    System.out.printf(
        Locale.ROOT,
        "%-58s %10.0f msg/s   server CPU %6.1f us/msg (%.2f cores at that rate)%n",
        what,
        rate,
        cpuMicrosPerMessage,
        rate * cpuMicrosPerMessage / 1e6);
  }
}
