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
 * The consumer runtime suite on PostgreSQL ({@code 127.0.0.1:5432/test}, user {@code postgres}).
 * Every test gets a fresh schema, dropped after the class. Without a reachable server the class is
 * skipped, except with {@code CI=true}, where that is a failure.
 */
class PostgresConsumerContractTest extends ConsumerContract {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();
  private String schema;

  @BeforeAll
  static void requireDatabase() {
    try (Connection c = DriverManager.getConnection(URL + "?connectTimeout=3", USER, null)) {
      c.isValid(3);
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL unreachable at " + URL + " in CI", e);
      }
      Assumptions.abort("PostgreSQL unreachable at " + URL + ": " + e.getMessage());
    }
  }

  @Override
  protected Storage createStorage(InstantSource clock) {
    if (schema == null) {
      schema = "sluice_cc_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
      SCHEMAS.add(schema);
    }
    return JdbcStorage.create(
        URL, USER, null, JdbcStorageConfig.builder().schema(schema).clock(clock).build());
  }

  @Override
  protected List<String> crashingConsumerArgs() {
    return List.of("postgresql", schema);
  }

  @Override
  protected int seedOrders() {
    return 400;
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        Statement s = c.createStatement()) {
      for (String name : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }
    SCHEMAS.clear();
  }
}
