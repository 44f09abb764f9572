package io.sluice.dashboard;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.RetryPolicy;
import io.sluice.spi.Storage;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A live store for the dashboard's tests: topic {@code orders} (2 partitions) consumed by group
 * {@code billing}, whose handler fails messages starting with {@code poison} while {@link
 * #failPoison} is set (no retries, so they go to {@code orders.dlq} at once).
 */
final class LiveStore implements AutoCloseable {
  static final String TOPIC = "orders";
  static final String DLQ = "orders.dlq";
  static final String GROUP = "billing";
  static final String LOCAL_PG = "jdbc:postgresql://127.0.0.1:5432/test";

  final AtomicBoolean failPoison = new AtomicBoolean(true);
  final AtomicInteger handled = new AtomicInteger();
  final Sluice sluice;
  private final Runnable cleanup;

  private LiveStore(Storage storage, Runnable cleanup) {
    this.sluice = Sluice.builder().storage(storage).closeStorage(true).build();
    this.cleanup = cleanup;
    sluice.admin().createTopic(TOPIC, TopicConfig.partitions(2));
    sluice.admin().createTopic(DLQ, TopicConfig.partitions(1));
  }

  static LiveStore file(Path dir) {
    return new LiveStore(FileStorage.open(FileStorageConfig.builder(dir).build()), () -> {});
  }

  /**
   * A store in a fresh schema of the test PostgreSQL (SLUICE_TEST_POSTGRES_URL, else the local
   * server), dropped on close. Without one the test is skipped, except under CI=true, where it
   * fails.
   */
  static LiveStore postgres() {
    String url = System.getenv("SLUICE_TEST_POSTGRES_URL");
    String user = System.getenv("SLUICE_TEST_POSTGRES_USER");
    String password = System.getenv("SLUICE_TEST_POSTGRES_PASSWORD");
    if (url == null || url.isBlank()) {
      url = LOCAL_PG;
      user = "postgres";
    }
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      c.isValid(3);
    } catch (SQLException e) {
      String reason = "no PostgreSQL for the dashboard tests at " + url + ": " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(reason + " (CI=true: this is a failure)", e);
      }
      Assumptions.abort(reason);
    }
    String schema =
        "sluice_dash_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String u = url;
    String us = user;
    String pw = password;
    JdbcStorage storage =
        JdbcStorage.create(url, user, password, JdbcStorageConfig.builder().schema(schema).build());
    return new LiveStore(storage, () -> dropSchema(u, us, pw, schema));
  }

  private static void dropSchema(String url, String user, String password, String schema) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test schema " + schema, e);
    }
  }

  /** Starts group {@code billing} on {@code orders}. */
  LiveStore startConsumer() {
    sluice
        .consumer(GROUP)
        .subscribe(TOPIC)
        .pollInterval(Duration.ofMillis(50))
        .retry(RetryPolicy.none())
        .handler(
            d -> {
              if (failPoison.get() && d.message().payloadAsString().startsWith("poison")) {
                throw new IllegalStateException("card declined for " + d.message().key());
              }
              handled.incrementAndGet();
            })
        .start();
    return this;
  }

  void send(String payload, String key) {
    sluice.producer().send(TOPIC, Message.builder(payload).key(key).build());
  }

  @Override
  public void close() {
    try {
      sluice.close(); // closes the consumer it started, then the storage
    } finally {
      cleanup.run();
    }
  }
}
