package io.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.consumer.admin.PartitionView;
import io.sluice.spi.Storage;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import io.sluice.spring.testing.TestSchemas;
import io.sluice.storage.jdbc.JdbcStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The listener scenarios plus the outbox on a JDBC store chosen from the application's {@code
 * DataSource}: a subclass names the backend it expects, Sluice's schema, and the application's
 * schema (property {@code test.app-schema}, holding an {@code orders} table), and adds {@link
 * Outbox} to its context.
 */
abstract class JdbcSpringBootScenarios extends ListenerScenarios {

  /** The backend name the store must report ({@code Capabilities.name()}). */
  abstract String backend();

  /** Sluice's schema and the application's (holding its {@code orders} table). */
  abstract TestSchemas db();

  private static ListenerEndpointRegistry listenersToStop;

  @BeforeEach
  void remember() {
    listenersToStop = registry;
  }

  /** Stops claiming before the schemas go (the extension drops them after this). */
  @AfterAll
  static void stopListeners() {
    if (listenersToStop != null) {
      listenersToStop.stop(); // the context closes after
      listenersToStop = null;
    }
  }

  /** Writes a business row and sends its event in one transaction. */
  static class OrderService {
    private final JdbcTemplate jdbc;
    private final SluiceTemplate sluice;
    private final String appSchema;

    OrderService(
        JdbcTemplate jdbc, SluiceTemplate sluice, @Value("${test.app-schema}") String appSchema) {
      this.jdbc = jdbc;
      this.sluice = sluice;
      this.appSchema = appSchema;
    }

    @Transactional
    public void place(String id, boolean failAfterSend) {
      jdbc.update("INSERT INTO " + appSchema + ".orders (id) VALUES (?)", id);
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
  void theStoreIsTheDataSourcesDatabaseInItsOwnSchema() {
    assertThat(storage).isInstanceOf(JdbcStorage.class);
    assertThat(storage.capabilities().name()).isEqualTo(backend());
    Integer tables =
        jdbc.queryForObject(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ?",
            Integer.class,
            db().sluiceSchema());
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
    assertThat(jdbc.queryForList("SELECT id FROM " + db().appSchema() + ".orders", String.class))
        .containsExactly("committed");
  }

  private long endOffsets() {
    return admin.describeTopic("outbox").partitions().stream()
        .mapToLong(PartitionView::endOffset)
        .sum();
  }
}
