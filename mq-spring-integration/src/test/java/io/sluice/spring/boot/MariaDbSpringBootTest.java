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
 * The whole integration on MariaDB, the dialect chosen from the application's {@code DataSource}:
 * {@code SLUICE_TEST_MARIADB_URL} or the local server ({@code jdbc:mariadb://127.0.0.1:3306/test},
 * user root). With {@code CI=true} an unreachable server fails the class; elsewhere it is skipped
 * with the reason. Sluice's tables go into a fresh schema (a MariaDB database), and the
 * application's into another, both dropped afterwards.
 */
@SpringBootTest(
    classes = {TestApplication.class, JdbcSpringBootScenarios.Outbox.class},
    properties = {"sluice.storage.type=jdbc", "management.endpoints.web.exposure.include=sluice"})
class MariaDbSpringBootTest extends JdbcSpringBootScenarios {
  static final String URL =
      System.getenv()
          .getOrDefault("SLUICE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
  static final String SUFFIX =
      UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
  static final String SCHEMA = "sluice_it_" + SUFFIX;
  static final String APP_SCHEMA = "app_it_" + SUFFIX;

  @BeforeAll
  static void reachable() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + APP_SCHEMA);
      s.execute(
          "CREATE TABLE " + APP_SCHEMA + ".orders (id varchar(64) PRIMARY KEY) ENGINE=InnoDB");
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort("MariaDB not reachable at " + URL + ": " + e.getMessage());
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
      s.execute("DROP DATABASE IF EXISTS " + SCHEMA);
      s.execute("DROP DATABASE IF EXISTS " + APP_SCHEMA);
    }
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
    registry.add("sluice.storage.jdbc.schema", () -> SCHEMA);
    registry.add("test.app-schema", () -> APP_SCHEMA);
  }

  @Override
  String backend() {
    return "mariadb";
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
