package io.sluice.benchmarks.jdbc;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.benchmarks.BarChart;
import io.sluice.benchmarks.Progress;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDBC backend against a real PostgreSQL or MariaDB (a {@code jdbc:mariadb:} URL), beside the
 * raw-SQL ceilings measured in the same run (see {@link RawCeilings}). 256-byte payloads
 * throughout.
 *
 * <ol>
 *   <li>raw insert: 4 sessions, multi-row INSERT of 100 rows per statement;
 *   <li>Sluice produce: 4 threads, {@code append} of 100 unkeyed messages per call, topic of 8
 *       partitions;
 *   <li>raw dequeue: 4 sessions, {@code DELETE ... SKIP LOCKED LIMIT 100 RETURNING};
 *   <li>Sluice claim+ack: 4 consumers, {@code claim(100)} then one {@code ack} of the batch.
 * </ol>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.jdbc.JdbcLoadBench \
 *     [url] [user] [messagesPerPhase]
 * </pre>
 *
 * Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 400000. Progress goes
 * to standard error every few seconds (see {@link Progress}); the figures are drawn beside their
 * baselines in {@code jdbc-load-bench.svg} (see {@link BarChart#outputDirectory()}).
 */
public final class JdbcLoadBench {
  static final int THREADS = 4;
  static final int BATCH = 100;
  static final String SCHEMA = "sluice_bench";

  /** Messages appended or acked so far in the running phase, for {@link Progress}. */
  private static final AtomicLong DONE = new AtomicLong();

  private JdbcLoadBench() {}

  /** Runs every phase and prints the figures and ratios. */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 400_000;
    int batchesPerThread = messages / THREADS / BATCH;
    byte[] payload = new byte[256];
    java.util.Arrays.fill(payload, (byte) 'p');

    long total = (long) batchesPerThread * THREADS * BATCH;
    RawCeilings raw = new RawCeilings(url, user, null);
    raw.reset();
    double rawInsert;
    raw.progress.set(0);
    try (Progress p = Progress.count("raw INSERT, 4 sessions", total, raw.progress::get)) {
      rawInsert = raw.insert(THREADS, batchesPerThread, payload);
    }
    vacuum(url, user, "sluice_bench_raw.q");
    double rawDequeue;
    raw.progress.set(0);
    try (Progress p =
        Progress.count("raw DELETE..SKIP LOCKED, 4 sessions", total, raw.progress::get)) {
      rawDequeue = raw.dequeue(THREADS);
    }

    dropSchema(url, user);
    JdbcStorageConfig config =
        JdbcStorageConfig.builder()
            .schema(SCHEMA)
            .maxPoolSize(THREADS * 2)
            .retentionInterval(null)
            .build();
    double produce;
    double consume;
    try (JdbcStorage store = JdbcStorage.create(BenchSql.batched(url), user, null, config)) {
      store.createTopic("bench", TopicConfig.partitions(8));
      DONE.set(0);
      try (Progress p = Progress.count("Sluice append, 4 threads", total, DONE::get)) {
        produce = produce(store, batchesPerThread, payload);
      }
      vacuum(url, user, SCHEMA + ".mq_messages");
      DONE.set(0);
      try (Progress p = Progress.count("Sluice claim+ack, 4 consumers", total, DONE::get)) {
        consume = consume(store);
      }
    }
    print("raw INSERT 100 rows/statement, 4 sessions", rawInsert, "rows/s");
    print("Sluice append, batches of 100, 4 threads", produce, "msg/s");
    print("  ratio to raw insert", produce / rawInsert * 100, "%");
    print("raw DELETE..SKIP LOCKED LIMIT 100, 4 sessions", rawDequeue, "rows/s");
    print("Sluice claim(100)+ack, 4 consumers", consume, "msg/s");
    print("  ratio to raw dequeue", consume / rawDequeue * 100, "%");
    System.out.printf(
        Locale.ROOT,
        "targets: produce >= 100000 msg/s: %s; claim+ack >= 20000 msg/s: %s;"
            + " >= 40%% of raw dequeue: %s%n",
        produce >= 100_000 ? "MET" : "MISSED",
        consume >= 20_000 ? "MET" : "MISSED",
        consume >= 0.4 * rawDequeue ? "MET" : "MISSED");
    Path chart =
        new BarChart(
                "Sluice on PostgreSQL beside plain SQL",
                "256-byte payloads, "
                    + messages
                    + " per phase, "
                    + BarChart.conditions()
                    + " (JdbcLoadBench)")
            .add(
                "append, batches of 100, 4 threads",
                "msg/s",
                produce,
                "multi-row INSERT, 4 sessions",
                rawInsert)
            .add(
                "claim(100) + ack, 4 consumers",
                "msg/s",
                consume,
                "DELETE ... SKIP LOCKED, 4 sessions",
                rawDequeue)
            .write(BarChart.outputDirectory().resolve("jdbc-load-bench.svg"));
    System.out.println("chart: " + chart.toAbsolutePath());
  }

  private static double produce(JdbcStorage store, int batchesPerThread, byte[] payload)
      throws Exception {
    return Parallel.rate(
        THREADS,
        () -> {
          List<OutgoingMessage> batch = new ArrayList<>(BATCH);
          for (int i = 0; i < BATCH; i++) {
            batch.add(OutgoingMessage.of(Message.of(payload)));
          }
          long sent = 0;
          for (int b = 0; b < batchesPerThread; b++) {
            int n = store.append("bench", batch).size();
            sent += n;
            DONE.addAndGet(n);
          }
          return sent;
        });
  }

  private static double consume(JdbcStorage store) throws Exception {
    return Parallel.rate(
        THREADS,
        () -> {
          long done = 0;
          int empty = 0;
          while (empty < 3) {
            List<Lease> leases =
                store.claim(ClaimRequest.of("bench-group", "bench", BATCH, Duration.ofMinutes(1)));
            empty = leases.isEmpty() ? empty + 1 : 0;
            if (!leases.isEmpty()) {
              List<Ack> acks = new ArrayList<>(leases.size());
              for (Lease l : leases) {
                acks.add(Ack.of(l.id()));
              }
              int n = store.ack("bench-group", acks).applied();
              done += n;
              DONE.addAndGet(n);
            }
          }
          return done;
        });
  }

  private static void dropSchema(String url, String user) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute(BenchSql.dropSchema(url, SCHEMA));
    }
  }

  private static void vacuum(String url, String user, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute(BenchSql.analyze(url, table));
    }
  }

  private static void print(String what, double value, String unit) {
    System.out.printf(Locale.ROOT, "%-50s %12.0f %s%n", what, value, unit);
  }
}
