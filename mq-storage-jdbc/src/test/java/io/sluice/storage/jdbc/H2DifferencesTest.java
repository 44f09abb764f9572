package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StorageException;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.tck.SettableClock;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where H2 behaves differently from PostgreSQL, pinned down (see the README, "H2 differences"). */
class H2DifferencesTest {

  private static HikariDataSource h2(String options) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:diff_" + System.nanoTime() + ";DB_CLOSE_DELAY=0" + options);
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  @Test
  void aProducerWaitingOnAHeldPartitionGivesUpAfterLockTimeoutAndWritesNothing() throws Exception {
    try (HikariDataSource ds = h2(";LOCK_TIMEOUT=300");
        JdbcStorage store = Stores.open(ds, "sluice", new SettableClock());
        Connection open = ds.getConnection()) {
      store.createTopic("t", TopicConfig.partitions(1));
      open.setAutoCommit(false);
      store.transactionalSend().send(open, "t", Message.of("held"));
      // PostgreSQL would wait for the open transaction; H2 waits LOCK_TIMEOUT, then fails.
      assertThatThrownBy(() -> store.append("t", List.of(OutgoingMessage.of(Message.of("x")))))
          .isInstanceOf(StorageException.class);
      open.commit();
      assertThat(store.append("t", List.of(OutgoingMessage.of(Message.of("y")))).get(0).offset())
          .as("offsets stay dense: the failed append took none")
          .isEqualTo(1);
    }
  }

  @Test
  void aFailedStatementDoesNotAbortTheCallerTransactionButTheSendIsRolledBackToItsSavepoint()
      throws Exception {
    try (HikariDataSource ds = h2("");
        JdbcStorage store = Stores.open(ds, "sluice", new SettableClock());
        Connection caller = ds.getConnection()) {
      store.createTopic("t", TopicConfig.partitions(1));
      caller.setAutoCommit(false);
      try (var s = caller.createStatement()) {
        assertThatThrownBy(() -> s.execute("SELECT 1/0")).isInstanceOf(java.sql.SQLException.class);
      }
      // Unlike PostgreSQL (see PostgresFaultTest), H2 lets the transaction go on.
      store.transactionalSend().send(caller, "t", Message.of("after an error"));
      caller.commit();
      assertThat(store.describeTopic("t").partitions().get(0).endOffset()).isEqualTo(1);
    }
  }
}
