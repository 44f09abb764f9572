package io.sluice.benchmarks.jdbc;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How long after an append's commit a watcher of ANOTHER store (another process in production)
 * hears of it through LISTEN/NOTIFY: the notification path alone, without claim or handler time.
 * {@code count} appends of one message, 5 ms apart; prints p50/p90/p99/max in milliseconds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.jdbc.WakeupLatency \
 *     [url] [user] [count]
 * </pre>
 */
public final class WakeupLatency {
  private static final String SCHEMA = "sluice_wakeup_bench";

  private WakeupLatency() {}

  /** Runs the measurement. */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
    JdbcStorageConfig config =
        JdbcStorageConfig.builder().schema(SCHEMA).maxPoolSize(2).retentionInterval(null).build();
    try (JdbcStorage producer = JdbcStorage.create(url, user, null, config);
        JdbcStorage consumer = JdbcStorage.create(url, user, null, config)) {
      producer.createTopic("t", TopicConfig.partitions(1));
      Semaphore woken = new Semaphore(0);
      long[] micros = new long[count];
      int missed = 0;
      try (AppendWatch w = consumer.watchAppends("t", woken::release)) {
        List<OutgoingMessage> one = List.of(OutgoingMessage.of(Message.of("x")));
        producer.append("t", one); // until the first wake-up arrives, the listener is starting
        woken.tryAcquire(10, TimeUnit.SECONDS);
        for (int i = 0; i < count; i++) {
          woken.drainPermits();
          producer.append("t", one);
          long committed = System.nanoTime();
          if (woken.tryAcquire(2, TimeUnit.SECONDS)) {
            micros[i] = (System.nanoTime() - committed) / 1_000;
          } else {
            micros[i] = 2_000_000;
            missed++;
          }
          Thread.sleep(5);
        }
      }
      Arrays.sort(micros);
      System.out.printf(
          Locale.ROOT,
          "wake-up of another store after the append returned: p50 %.2f ms, p90 %.2f ms,"
              + " p99 %.2f ms, max %.2f ms, missed %d of %d%n",
          micros[count / 2] / 1e3,
          micros[count * 9 / 10] / 1e3,
          micros[count * 99 / 100] / 1e3,
          micros[count - 1] / 1e3,
          missed,
          count);
    }
  }
}
