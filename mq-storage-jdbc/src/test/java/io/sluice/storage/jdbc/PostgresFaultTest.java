package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.StorageException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import io.sluice.spi.tck.SettableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * F11 and start-up faults on a real PostgreSQL: the backend serving a send, claim or ack is killed
 * with {@code pg_terminate_backend} while the statement waits on a lock held by the test. Nothing
 * committed is lost, nothing half-written is visible, and the pool recovers without a restart.
 */
class PostgresFaultTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  static final Duration LEASE = Duration.ofSeconds(30);

  SettableClock clock;
  JdbcStorage store;

  @BeforeEach
  void open() {
    clock = new SettableClock();
    store = Stores.open(PG.dataSource(), PG.schema(), clock);
    Stores.empty(PG.dataSource(), PG.schema());
    store.createTopic("t", TopicConfig.partitions(1));
  }

  @AfterEach
  void close() {
    store.close();
  }

  /**
   * Runs {@code op} while another transaction holds an exclusive lock on {@code table}, waits until
   * {@code op}'s backend is blocked on it, kills that backend, and returns how {@code op} ended.
   */
  private <T> Throwable killWhileBlocked(String table, Supplier<T> op) throws Exception {
    try (Connection locker = PG.dataSource().getConnection();
        Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("LOCK TABLE \"" + PG.schema() + "\"." + table + " IN ACCESS EXCLUSIVE MODE");
      CompletableFuture<T> running = CompletableFuture.supplyAsync(op);
      int[] pid = new int[1];
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                pid[0] = blockedBackend(s, table);
                return pid[0] != 0;
              });
      try (ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(" + pid[0] + ")")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
      }
      locker.rollback();
      try {
        running.get();
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }
  }

  private static int blockedBackend(Statement s, String table) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE '%"
                + table
                + "%' AND pid <> pg_backend_pid()")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  @Test
  void killedDuringSendLeavesNothingAndOffsetsStayDense() throws Exception {
    Throwable failure =
        killWhileBlocked(
            "mq_messages",
            () -> store.append("t", List.of(OutgoingMessage.of(Message.of("lost")))));
    assertThat(failure).isInstanceOf(BackendUnavailableException.class);
    assertThat(store.describeTopic("t").partitions().get(0).endOffset()).isZero();
    assertThat(store.append("t", List.of(OutgoingMessage.of(Message.of("ok")))).get(0).offset())
        .isZero();
  }

  @Test
  void sendKilledAtAnyPointAndRetriedWithTheSameKeyIsStoredOnce() throws Exception {
    Message keyed = Message.builder("pay order 7").idempotencyKey("order-7/paid").build();
    Throwable failure =
        killWhileBlocked("mq_dedupe", () -> store.append("t", List.of(OutgoingMessage.of(keyed))));
    assertThat(failure).isInstanceOf(BackendUnavailableException.class);
    // The caller cannot know whether the send committed; it retries the whole send with the key.
    store.append("t", List.of(OutgoingMessage.of(keyed)));
    store.append("t", List.of(OutgoingMessage.of(keyed)));
    assertThat(store.describeTopic("t").partitions().get(0).endOffset()).isEqualTo(1);
    assertThat(store.read("t", 0, 0, 10))
        .extracting(m -> m.message().payloadAsString())
        .containsExactly("pay order 7");
  }

  @Test
  void killedDuringClaimLosesNothing() throws Exception {
    store.append("t", List.of(OutgoingMessage.of(Message.of("m"))));
    Throwable failure =
        killWhileBlocked("mq_deliveries", () -> store.claim(ClaimRequest.of("g", "t", 10, LEASE)));
    assertThat(failure).isInstanceOf(StorageException.class);
    List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 10, LEASE));
    assertThat(leases).hasSize(1);
    assertThat(leases.get(0).attempt()).as("the killed claim never happened").isEqualTo(1);
  }

  @Test
  void killedDuringAckRedeliversAfterTheLease() throws Exception {
    store.append("t", List.of(OutgoingMessage.of(Message.of("m"))));
    Lease lease = store.claim(ClaimRequest.of("g", "t", 10, LEASE)).get(0);
    store.markStarted(new StartRequest("g", List.of(lease.id()))); // its handler ran
    Throwable failure =
        killWhileBlocked("mq_deliveries", () -> store.ack("g", List.of(Ack.of(lease.id()))));
    assertThat(failure).isInstanceOf(BackendUnavailableException.class);
    assertThat(store.claim(ClaimRequest.of("g", "t", 10, LEASE))).isEmpty();
    clock.advance(LEASE);
    Lease again = store.claim(ClaimRequest.of("g", "t", 10, LEASE)).get(0);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(store.ack("g", List.of(Ack.of(again.id()))).applied()).isEqualTo(1);
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isEqualTo(1);
  }

  @Test
  void databaseDownAtStartNamesTheUrlWithoutPassword() {
    String url = "jdbc:postgresql://127.0.0.1:1/test?password=hunter2&connectTimeout=2";
    assertThatThrownBy(
            () -> JdbcStorage.create(url, "postgres", "hunter2", JdbcStorageConfig.defaults()))
        .isInstanceOfSatisfying(
            BackendUnavailableException.class,
            e -> {
              assertThat(e.target()).contains("127.0.0.1:1/test").doesNotContain("hunter2");
              assertThat(e.getMessage()).doesNotContain("hunter2");
            });
  }

  @Test
  void failedStatementInsideTransactionalSendSurfacesAndLeavesTheCallerTransactionUsable()
      throws Exception {
    try (Connection holder = PG.dataSource().getConnection();
        Connection caller = PG.dataSource().getConnection();
        Statement hs = holder.createStatement();
        Statement cs = caller.createStatement()) {
      holder.setAutoCommit(false);
      hs.execute("SELECT 1 FROM \"" + PG.schema() + "\".mq_partitions FOR UPDATE");
      caller.setAutoCommit(false);
      cs.execute("SET LOCAL lock_timeout = '200ms'");
      assertThatThrownBy(
              () ->
                  store
                      .transactionalSend()
                      .sendAll(
                          caller, "t", List.of(OutgoingMessage.toPartition(Message.of("x"), 0))))
          .isInstanceOf(StorageException.class);
      holder.rollback();
      // Rolled back to the savepoint, not further: the caller's transaction still works.
      store.transactionalSend().send(caller, "t", Message.of("y"));
      caller.commit();
    }
    List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 10, LEASE));
    assertThat(leases)
        .extracting(l -> l.message().message().payloadAsString())
        .containsExactly("y");
  }

  @Test
  void sendOnAnAbortedCallerTransactionFailsLoudly() throws Exception {
    try (Connection caller = PG.dataSource().getConnection();
        Statement cs = caller.createStatement()) {
      caller.setAutoCommit(false);
      assertThatThrownBy(() -> cs.execute("SELECT 1/0")).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> store.transactionalSend().send(caller, "t", Message.of("x")))
          .isInstanceOf(StorageException.class);
      caller.rollback();
    }
    assertThat(store.describeTopic("t").partitions().get(0).endOffset()).isZero();
  }
}
