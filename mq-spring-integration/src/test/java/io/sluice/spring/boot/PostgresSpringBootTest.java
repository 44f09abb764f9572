package io.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.consumer.admin.PartitionView;
import io.sluice.spi.Storage;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import io.sluice.storage.jdbc.JdbcStorage;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

/**
 * The whole integration on PostgreSQL: {@code SLUICE_TEST_POSTGRES_URL} or the local server ({@code
 * jdbc:postgresql://127.0.0.1:5432/test}, user postgres). With {@code CI=true} an unreachable
 * server fails the class; elsewhere it is skipped with the reason. Sluice's tables go into a fresh
 * schema, and the application's into another, both dropped afterwards.
 */
@SpringBootTest(
    classes = {TestApplication.class, PostgresSpringBootTest.Outbox.class},
    properties = {"sluice.storage.type=jdbc", "management.endpoints.web.exposure.include=sluice"})
class PostgresSpringBootTest extends ListenerScenarios {
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
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + e.getMessage());
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
  }

  /** Writes a business row and sends its event in one transaction. */
  static class OrderService {
    private final JdbcTemplate jdbc;
    private final SluiceTemplate sluice;

    OrderService(JdbcTemplate jdbc, SluiceTemplate sluice) {
      this.jdbc = jdbc;
      this.sluice = sluice;
    }

    @Transactional
    public void place(String id, boolean failAfterSend) {
      jdbc.update("INSERT INTO " + APP_SCHEMA + ".orders (id) VALUES (?)", id);
      sluice.send("outbox", id);
      if (failAfterSend) {
        throw new IllegalStateException("payment refused for " + id);
      }
    }
  }

  @Import(OrderService.class)
  static class Outbox {
    @Bean
    JdbcTemplate jdbcTemplate(javax.sql.DataSource dataSource) {
      return new JdbcTemplate(dataSource);
    }
  }

  @Autowired Storage storage;
  @Autowired OrderService orders;
  @Autowired JdbcTemplate jdbc;

  @Test
  void theStoreIsPostgresInItsOwnSchema() {
    assertThat(storage).isInstanceOf(JdbcStorage.class);
    assertThat(storage.capabilities().name()).isEqualTo("postgresql");
    Integer tables =
        jdbc.queryForObject(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ?",
            Integer.class,
            SCHEMA);
    assertThat(tables).isPositive();
  }

  @Test
  void aRolledBackTransactionNeverDeliversItsMessageAndACommittedOneDoes() {
    long before = endOffsets();
    assertThatThrownBy(() -> orders.place("rolled-back", true))
        .hasMessageContaining("payment refused");
    assertThat(endOffsets()).isEqualTo(before);

    orders.place("committed", false);
    await().atMost(WAIT).untilAsserted(() -> assertThat(listeners.outbox).contains("committed"));
    assertThat(listeners.outbox).doesNotContain("rolled-back");
    assertThat(endOffsets()).isEqualTo(before + 1);
    assertThat(jdbc.queryForList("SELECT id FROM " + APP_SCHEMA + ".orders", String.class))
        .containsExactly("committed");
  }

  private long endOffsets() {
    return admin.describeTopic("outbox").partitions().stream()
        .mapToLong(PartitionView::endOffset)
        .sum();
  }
}
