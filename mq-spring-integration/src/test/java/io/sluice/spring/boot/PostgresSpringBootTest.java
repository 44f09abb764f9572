package io.sluice.spring.boot;

import io.sluice.spring.listener.ListenerEndpointRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole integration on PostgreSQL: {@code SLUICE_TEST_POSTGRES_URL} or the local server ({@code
 * jdbc:postgresql://127.0.0.1:5432/test}, user postgres). With {@code CI=true} an unreachable
 * server fails the class; elsewhere it is skipped with the reason. Sluice's tables go into a fresh
 * schema, and the application's into another, both dropped afterwards.
 */
@SpringBootTest(
    classes = {TestApplication.class, JdbcSpringBootScenarios.Outbox.class},
    properties = {"sluice.storage.type=jdbc", "management.endpoints.web.exposure.include=sluice"})
class PostgresSpringBootTest extends JdbcSpringBootScenarios {
  static final String URL =
      System.getenv()
          .getOrDefault(
              "SLUICE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  static final String SUFFIX =
      UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
  static final String SCHEMA = "sluice_it_" + SUFFIX;
  static final String APP_SCHEMA = "app_it_" + SUFFIX;

  @BeforeAll
  static void reachable() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + APP_SCHEMA);
      s.execute("CREATE TABLE " + APP_SCHEMA + ".orders (id text PRIMARY KEY)");
    } catch (SQLException e) {
      String state = e.getSQLState();
      String fix =
          "; create the database with  psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test'"
              + " (user postgres without password), or set SLUICE_TEST_POSTGRES_URL to a JDBC URL"
              + " with user and password";
      if ("true".equalsIgnoreCase(System.getenv("CI"))
          || "3D000".equals(state)
          || (state != null && state.startsWith("28"))) {
        // In CI, and whenever the server answered (missing database, refused login): a failure.
        throw new IllegalStateException(
            "PostgreSQL at " + URL + " cannot be used: " + e.getMessage() + fix, e);
      }
      Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + e.getMessage() + fix);
    }
  }

  private static ListenerEndpointRegistry listenersToStop;

  @BeforeEach
  void remember() {
    listenersToStop = registry;
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    if (listenersToStop != null) {
      listenersToStop.stop(); // stop claiming before the schema goes; the context closes after
    }
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
    registry.add("test.app-schema", () -> APP_SCHEMA);
  }

  @Override
  String backend() {
    return "postgresql";
  }

  @Override
  String sluiceSchema() {
    return SCHEMA;
  }

  @Override
  String appSchema() {
    return APP_SCHEMA;
  }
}
