package io.sluice.benchmarks.jdbc;

import static io.sluice.benchmarks.jdbc.BenchSql.execute;

import io.sluice.Sluice;
import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerGroupBuilder;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.TransactionContext;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Exactly-once effects on PostgreSQL (issue 12.3): how many messages per second a consumer group
 * processes when each message's database effect (one row inserted into an effects table whose
 * primary key is the message's position, so a duplicate would fail) commits in one transaction with
 * the message's ack, beside the raw limit of the same work measured in the same run. 256-byte
 * payloads, a topic of 8 partitions, everything produced before the clock starts.
 *
 * <ol>
 *   <li>raw: the same effect without a queue library: {@code sessions} sessions each loop one
 *       transaction of {@code DELETE ... FOR UPDATE SKIP LOCKED LIMIT batch RETURNING}, a batched
 *       {@code INSERT} of the effects, {@code COMMIT};
 *   <li>single: the runtime's {@code transactionalHandler}, one transaction per message (what issue
 *       12 measured at 1.3 to 2.2k msg/s);
 *   <li>batch: the runtime's {@code transactionalBatchHandler}: one transaction per batch holding
 *       the batch's effects (one batched {@code INSERT}) and all its acks.
 * </ol>
 *
 * Each phase checks that the effects table holds exactly one row per message and the group's lag is
 * 0.
 *
 * <pre>
 * nice -n 10 java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.jdbc.ExactlyOnceBench \
 *     [url] [user] [messages] [batch] [concurrency] [singleMessages]
 * </pre>
 *
 * Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 200000, 200, 8, 20000
 * (the single-message phase is slow, so it drains fewer messages). {@code concurrency} is the
 * batches (or single handlers) running at once in the member, and the raw sessions.
 */
public final class ExactlyOnceBench {
  private static final String SCHEMA = "sluice_eo_bench";
  private static final String EFFECTS = "sluice_eo_effects.effects";

  private ExactlyOnceBench() {}

  /** Runs the three phases and prints the figures. */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    int singleMessages = args.length > 5 ? Integer.parseInt(args[5]) : 20_000;
    byte[] payload = new byte[256];
    PgCpu cpu = PgCpu.of(url, user);

    RawCeilings raw = new RawCeilings(url, user, null);
    raw.reset();
    raw.insert(4, messages / 4 / 100, payload);
    resetEffects(url, user);
    execute(url, user, "VACUUM ANALYZE sluice_bench_raw.q");
    double c0 = cpu.seconds();
    double rawRate = Parallel.rate(concurrency, () -> rawWorker(raw, batch));
    double rawCpu = (cpu.seconds() - c0) / messages * 1e6;
    long rawRows = countEffects(url, user);

    execute(url, user, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    JdbcStorageConfig config =
        JdbcStorageConfig.builder()
            .schema(SCHEMA)
            .maxPoolSize(concurrency + 6)
            .retentionInterval(null)
            .build();
    double singleRate;
    double singleCpu;
    double batchRate;
    double batchCpu;
    long singleRows;
    long batchRows;
    try (JdbcStorage store =
            JdbcStorage.create(url + "?reWriteBatchedInserts=true", user, null, config);
        Sluice sluice = Sluice.builder().storage(store).closeStorage(false).build()) {
      produce(store, "eo-single", singleMessages, payload);
      resetEffects(url, user);
      execute(url, user, "VACUUM ANALYZE " + SCHEMA + ".mq_messages");
      c0 = cpu.seconds();
      singleRate =
          drain(
              sluice,
              "eo-single",
              singleMessages,
              b ->
                  b.concurrency(concurrency)
                      .batchSize(64)
                      .prefetch(concurrency)
                      .transactionalHandler(ExactlyOnceBench::effect));
      singleCpu = (cpu.seconds() - c0) / singleMessages * 1e6;
      singleRows = countEffects(url, user);

      produce(store, "eo-batch", messages, payload);
      resetEffects(url, user);
      execute(url, user, "VACUUM ANALYZE " + SCHEMA + ".mq_messages");
      c0 = cpu.seconds();
      batchRate =
          drain(
              sluice,
              "eo-batch",
              messages,
              b ->
                  b.concurrency(concurrency)
                      .maxBatchSize(batch)
                      .maxBatchWait(Duration.ofMillis(5))
                      .transactionalBatchHandler(ExactlyOnceBench::effects));
      batchCpu = (cpu.seconds() - c0) / messages * 1e6;
      batchRows = countEffects(url, user);
    }
    print("raw: DELETE..SKIP LOCKED + INSERT effects, 1 tx / " + batch, rawRate, rawCpu);
    print("single: transactionalHandler, 1 tx / message", singleRate, singleCpu);
    print("batch: transactionalBatchHandler, 1 tx / " + batch, batchRate, batchCpu);
    System.out.printf(
        Locale.ROOT,
        "effects rows: raw %d/%d, single %d/%d, batch %d/%d; batch / single: %.1fx;"
            + " batch / raw: %.2f%n",
        rawRows,
        messages,
        singleRows,
        singleMessages,
        batchRows,
        messages,
        batchRate / singleRate,
        batchRate / rawRate);
    if (rawRows != messages || singleRows != singleMessages || batchRows != messages) {
      throw new IllegalStateException("an effect is missing: not every message was processed");
    }
  }

  private static void produce(JdbcStorage store, String topic, int messages, byte[] payload) {
    store.createTopic(topic, TopicConfig.partitions(8));
    List<OutgoingMessage> batch = new ArrayList<>(1_000);
    for (int i = 0; i < 1_000; i++) {
      batch.add(OutgoingMessage.of(Message.of(payload)));
    }
    for (int i = 0; i < messages; i += 1_000) {
      store.append(topic, batch.subList(0, Math.min(1_000, messages - i)));
    }
  }

  /** Drains {@code topic} with one member configured by {@code handler}; msg/s until lag is 0. */
  private static double drain(
      Sluice sluice, String topic, int messages, Consumer<ConsumerGroupBuilder> handler) {
    ConsumerGroupBuilder builder =
        sluice
            .consumer("eo")
            .subscribe(topic)
            .batchSize(1_000)
            .prefetch(2_048)
            .pollInterval(Duration.ofMillis(1));
    handler.accept(builder);
    long start = System.nanoTime();
    try (ConsumerGroup g = builder.start()) {
      long lastReport = start;
      long lag;
      while ((lag = sluice.admin().lag("eo", topic)) > 0) {
        LockSupport.parkNanos(5_000_000);
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          lastReport = System.nanoTime();
          System.out.printf(Locale.ROOT, "  %s: %d of %d left%n", topic, lag, messages);
        }
      }
      return messages / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static final String INSERT =
      "INSERT INTO " + EFFECTS + " (topic, part, off, bytes) VALUES (?, ?, ?, ?)";

  /** One message's effect, on the transaction that acks it. */
  private static void effect(Delivery d, TransactionContext tx) throws SQLException {
    effects(List.of(d), tx);
  }

  /** A batch's effects in one batched statement, on the transaction that acks the batch. */
  private static void effects(List<Delivery> batch, TransactionContext tx) throws SQLException {
    Connection c = tx.unwrap(Connection.class).orElseThrow();
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Delivery d : batch) {
        ps.setString(1, d.topic());
        ps.setInt(2, d.partition());
        ps.setLong(3, d.offset());
        ps.setInt(4, d.payload().length);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** A raw session: dequeue {@code batch} rows and insert their effects, one transaction each. */
  private static long rawWorker(RawCeilings raw, int batch) throws SQLException {
    String dequeue =
        "DELETE FROM sluice_bench_raw.q WHERE id IN (SELECT id FROM sluice_bench_raw.q"
            + " ORDER BY id FOR UPDATE SKIP LOCKED LIMIT "
            + batch
            + ") RETURNING id, payload";
    long rows = 0;
    int empty = 0;
    try (Connection c = raw.connect();
        PreparedStatement take = c.prepareStatement(dequeue);
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      c.setAutoCommit(false);
      while (empty < 3) {
        int n = 0;
        try (ResultSet rs = take.executeQuery()) {
          while (rs.next()) {
            insert.setString(1, "raw");
            insert.setInt(2, 0);
            insert.setLong(3, rs.getLong(1));
            insert.setInt(4, rs.getBytes(2).length);
            insert.addBatch();
            n++;
          }
        }
        if (n > 0) {
          insert.executeBatch();
        }
        c.commit();
        rows += n;
        empty = n == 0 ? empty + 1 : 0;
      }
    }
    return rows;
  }

  private static void resetEffects(String url, String user) throws SQLException {
    execute(url, user, "DROP SCHEMA IF EXISTS sluice_eo_effects CASCADE");
    execute(url, user, "CREATE SCHEMA sluice_eo_effects");
    execute(
        url,
        user,
        "CREATE TABLE "
            + EFFECTS
            + " (topic text NOT NULL, part int NOT NULL, off bigint NOT NULL, bytes int NOT NULL,"
            + " PRIMARY KEY (topic, part, off))");
  }

  private static long countEffects(String url, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + EFFECTS)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void print(String what, double rate, double cpuMicrosPerMessage) {
    System.out.printf(
        Locale.ROOT,
        "%-58s %10.0f msg/s   PostgreSQL CPU %6.1f us/msg%n",
        what,
        rate,
        cpuMicrosPerMessage);
  }
}
