package io.sluice.consumer;

import io.sluice.spi.Storage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The consumer runtime suite on MariaDB: the server in {@code SLUICE_TEST_MARIADB_URL} (user and
 * password in the URL, or {@code SLUICE_TEST_MARIADB_USER} / {@code SLUICE_TEST_MARIADB_PASSWORD}),
 * else {@code 127.0.0.1:3306/test} as {@code root} without a password. Every test gets a fresh
 * schema (a MariaDB database), dropped after the class. Without a reachable server the class is
 * skipped, except with {@code CI=true}, where that is a failure.
 */
class MariaDbConsumerContractTest extends ConsumerContract {
  static final String URL = url();
  static final String USER = envOr("SLUICE_TEST_MARIADB_USER", isSet() ? null : "root");
  static final String PASSWORD = System.getenv("SLUICE_TEST_MARIADB_PASSWORD");

  private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();
  private String schema;

  private static boolean isSet() {
    String env = System.getenv("SLUICE_TEST_MARIADB_URL");
    return env != null && !env.isBlank();
  }

  private static String url() {
    return isSet()
        ? System.getenv("SLUICE_TEST_MARIADB_URL")
        : "jdbc:mariadb://127.0.0.1:3306/test";
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  @BeforeAll
  static void requireDatabase() {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      c.isValid(3);
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("MariaDB unreachable at " + URL + " in CI", e);
      }
      Assumptions.abort("MariaDB unreachable at " + URL + ": " + e.getMessage());
    }
  }

  @Override
  protected Storage createStorage(InstantSource clock) {
    if (schema == null) {
      schema = "sluice_cc_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
      SCHEMAS.add(schema);
    }
    return JdbcStorage.create(
        URL, USER, PASSWORD, JdbcStorageConfig.builder().schema(schema).clock(clock).build());
  }

  @Override
  protected List<String> crashingConsumerArgs() {
    return List.of("mariadb", schema);
  }

  @Override
  protected int seedOrders() {
    return 400;
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      for (String name : SCHEMAS) {
        s.execute("DROP DATABASE IF EXISTS `" + name + "`");
      }
    }
    SCHEMAS.clear();
  }
}
