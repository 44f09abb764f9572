package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.ClaimRequest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's snippets, compiled and asserted (on H2). */
class ReadmeExamplesTest {

  @Test
  void usingIt() {
    try (HikariDataSource dataSource = H2Databases.create()) {
      // README: Using it
      JdbcStorage storage = JdbcStorage.create(dataSource, JdbcStorageConfig.defaults());
      assertThat(storage.capabilities().name()).isEqualTo("h2");
      assertThat(storage.capabilities().crossProcessNotifications()).isFalse(); // no LISTEN on H2
      assertThat(storage.health().healthy()).isTrue();
      storage.close();
    }
  }

  @Test
  void transactionalSend() throws Exception {
    try (HikariDataSource dataSource = H2Databases.create();
        JdbcStorage storage = JdbcStorage.create(dataSource, JdbcStorageConfig.defaults())) {
      storage.createTopic("orders", TopicConfig.partitions(2));
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
      }
      // README: Transactional send (outbox)
      TransactionalSend outbox = storage.transactionalSend();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        insertOrder(c, 42); // the business row
        outbox.send(c, "orders", Message.of("{\"order\":42}")); // its event, same transaction
        c.commit(); // both, or neither
      }
      assertThat(storage.claim(ClaimRequest.of("g", "orders", 10, Duration.ofSeconds(30))))
          .extracting(l -> l.message().message().payloadAsString())
          .containsExactly("{\"order\":42}");
    }
  }

  private static void insertOrder(Connection c, int id) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO orders VALUES (" + id + ")");
    }
  }
}
