package io.sluice.spring.features;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The listener features on PostgreSQL ({@code SLUICE_TEST_POSTGRES_URL} or the local server):
 * Sluice's tables and the application's in two fresh schemas, dropped afterwards. With {@code
 * CI=true} an unreachable server fails the class; elsewhere it is skipped with the reason.
 */
@SpringBootTest(
    classes = FeaturesApplication.class,
    properties = {"sluice.storage.type=jdbc", "sluice.topics.tx-echo.partitions=1"})
class PostgresListenerFeaturesTest extends ListenerFeatures {
  static final String URL =
      System.getenv()
          .getOrDefault(
              "SLUICE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  static final String SUFFIX =
      UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
  static final String SCHEMA = "sluice_lf_" + SUFFIX;
  static final String APP_SCHEMA = "app_lf_" + SUFFIX;

  @BeforeAll
  static void reachable() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + APP_SCHEMA);
      s.execute("CREATE TABLE " + APP_SCHEMA + ".effects (id text PRIMARY KEY)");
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + e.getMessage());
    }
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      s.execute("DROP SCHEMA IF EXISTS " + APP_SCHEMA + " CASCADE");
    }
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("sluice.storage.jdbc.schema", () -> SCHEMA);
    registry.add("test.effects", () -> APP_SCHEMA + ".effects");
  }

  @Override
  java.time.Duration defaultIdlePoll() {
    return java.time.Duration.ofSeconds(1); // LISTEN/NOTIFY wakes listeners
  }

  @Override
  String table() {
    return APP_SCHEMA + ".effects";
  }
}
