package io.sluice.benchmarks.jdbc;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Durable single-message sends from {@code senders} threads, each waiting for its commit before the
 * next, beside the raw baseline in the same run: {@code senders} sessions each inserting one row
 * per auto-commit transaction. Sluice runs twice: unkeyed messages to a topic of 8 partitions (the
 * one-statement append), and keyed messages that all land in ONE partition (independent producers
 * serializing on its counter row, issue 12.5). {@code notify=false} turns the store's LISTEN/NOTIFY
 * off, to compare its cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.jdbc.SendersBench \
 *     [url] [user] [senders] [seconds] [notify]
 * </pre>
 *
 * Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 8, 10, true.
 */
public final class SendersBench {
  private static final String SCHEMA = "sluice_senders_bench";

  private SendersBench() {}

  /** Runs the three phases and prints msg/s. */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int senders = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    long millis = (args.length > 3 ? Long.parseLong(args[3]) : 10) * 1_000;
    boolean notify = args.length <= 4 || Boolean.parseBoolean(args[4]);
    byte[] payload = new byte[256];
    double raw = raw(url, user, senders, millis, payload);
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute(BenchSql.dropSchema(url, SCHEMA));
    }
    JdbcStorageConfig.Builder config =
        JdbcStorageConfig.builder().schema(SCHEMA).maxPoolSize(senders + 2).retentionInterval(null);
    Notifications.configure(config, notify);
    double unkeyed;
    double onePartition;
    try (JdbcStorage store = JdbcStorage.create(url, user, null, config.build());
        JdbcStorage watcher = JdbcStorage.create(url, user, null, config.build())) {
      store.createTopic("unkeyed", TopicConfig.partitions(8));
      store.createTopic("keyed", TopicConfig.partitions(8));
      // Another store (another process in production) listens, as a consumer would.
      watcher.watchAppends("unkeyed", () -> {});
      watcher.watchAppends("keyed", () -> {});
      List<OutgoingMessage> one = List.of(OutgoingMessage.of(Message.of(payload)));
      List<OutgoingMessage> keyed =
          List.of(OutgoingMessage.of(Message.builder(payload).key("same-key").build()));
      unkeyed = rate(senders, millis, () -> store.append("unkeyed", one).size());
      onePartition = rate(senders, millis, () -> store.append("keyed", keyed).size());
    }
    print("raw INSERT 1 row/transaction, " + senders + " sessions", raw, raw);
    print("Sluice append 1 unkeyed msg, " + senders + " threads" + tag(notify), unkeyed, raw);
    print("Sluice append 1 msg to ONE partition, " + senders + " threads", onePartition, raw);
  }

  private static String tag(boolean notify) {
    return notify ? " (notify)" : " (no notify)";
  }

  private static double raw(String url, String user, int senders, long millis, byte[] payload)
      throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      for (String sql : BenchSql.createRawQueue(url)) {
        s.execute(sql);
      }
    }
    ThreadLocal<PreparedStatement> ps = new ThreadLocal<>();
    return rate(
        senders,
        millis,
        () -> {
          if (ps.get() == null) {
            Connection c = DriverManager.getConnection(url, user, null);
            ps.set(c.prepareStatement("INSERT INTO sluice_bench_raw.q (payload) VALUES (?)"));
          }
          ps.get().setBytes(1, payload);
          return ps.get().executeUpdate();
        });
  }

  /** One unit of work; returns how many messages it did. */
  interface Work {
    int run() throws Exception;
  }

  private static double rate(int threads, long millis, Work work) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread timer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Thread.sleep(millis);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  stop.set(true);
                });
    double rate =
        Parallel.rate(
            threads,
            () -> {
              long n = 0;
              while (!stop.get()) {
                n += work.run();
              }
              return n;
            });
    timer.join();
    return rate;
  }

  private static void print(String what, double rate, double raw) {
    System.out.printf(Locale.ROOT, "%-58s %10.0f msg/s  (%.2f x raw)%n", what, rate, rate / raw);
  }
}
