package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresConsumerStateTest extends JdbcConsumerStateTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  @Override
  DataSource dataSource() {
    return PG.dataSource();
  }

  @Override
  String schema() {
    return PG.schema();
  }

  @Override
  String migrationFolder() {
    return "postgresql";
  }

  /**
   * An ack (or start mark) that waits for the lock of a run row while another transaction splits
   * the run (a release or extension of one of its deliveries) must still apply once the split
   * commits. Reproduced deterministically: a test transaction splits the run by hand and stays open
   * while the ack waits for its lock.
   */
  @Test
  void acksAndStartsRacingASplitOfTheirRunAllApply() throws Exception {
    java.util.List<io.sluice.spi.Lease> leases = claimTenAsOneRun();
    String d = "\"" + schema() + "\".mq_deliveries";
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try (java.sql.Connection split =
            java.sql.DriverManager.getConnection(PG.url(), PG.user(), PG.password());
        java.sql.Statement s = split.createStatement()) {
      split.setAutoCommit(false);
      // Split as DeliveryRows.explode does: delete the run row, insert one row per offset.
      s.executeUpdate("CREATE TEMP TABLE runs ON COMMIT DROP AS SELECT * FROM " + d);
      s.executeUpdate("DELETE FROM " + d + " WHERE span > 1");
      s.executeUpdate(
          "INSERT INTO "
              + d
              + " (group_name, topic_id, partition_no, msg_offset, msg_key, token, attempts,"
              + " leased, held, started, visible_at, first_delivered_at, span)"
              + " SELECT group_name, topic_id, partition_no, msg_offset + g, NULL, token + g,"
              + " attempts, leased, FALSE, FALSE, visible_at, first_delivered_at, 1"
              + " FROM runs, generate_series(0, span - 1) AS g WHERE span > 1");
      java.util.concurrent.CompletableFuture<io.sluice.spi.BatchResult> acked =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  store.ack(
                      new io.sluice.spi.AckRequest(
                          "g",
                          leases.subList(5, 10).stream()
                              .map(l -> io.sluice.spi.Ack.of(l.id()))
                              .toList())),
              pool);
      java.util.concurrent.CompletableFuture<io.sluice.spi.BatchResult> started =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  store.markStarted(
                      new io.sluice.spi.StartRequest(
                          "g", leases.subList(1, 5).stream().map(l -> l.id()).toList())),
              pool);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (waitingOnLocks() < 2) {
        assertThat(System.nanoTime())
            .as("both wait for the split's lock: " + acked + " " + started)
            .isLessThan(deadline);
        Thread.sleep(10);
      }
      split.commit();
      assertThat(acked.get(20, java.util.concurrent.TimeUnit.SECONDS).applied()).isEqualTo(5);
      assertThat(started.get(20, java.util.concurrent.TimeUnit.SECONDS).applied()).isEqualTo(4);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * A start mark of a run never waits for an ack batch of the same run (V5: its marks are rows of
   * their own, and it takes only a key-share lock on the run row), so the runtime's start marks,
   * which gate its handlers, do not queue behind its acks. Reproduced with a transaction that holds
   * the lock an in-flight ack takes on the run row; before V5 the mark waited for it to end.
   */
  @Test
  void aStartMarkOfARunDoesNotWaitForAnAckOfThatRun() throws Exception {
    java.util.List<io.sluice.spi.Lease> leases = claimTenAsOneRun();
    String d = "\"" + schema() + "\".mq_deliveries";
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (java.sql.Connection ack =
            java.sql.DriverManager.getConnection(PG.url(), PG.user(), PG.password());
        java.sql.Statement s = ack.createStatement()) {
      ack.setAutoCommit(false);
      s.executeQuery("SELECT * FROM " + d + " WHERE span > 1 FOR NO KEY UPDATE").close();
      java.util.concurrent.Future<io.sluice.spi.BatchResult> started =
          pool.submit(
              () ->
                  store.markStarted(
                      new io.sluice.spi.StartRequest(
                          "g", leases.subList(0, 4).stream().map(l -> l.id()).toList())));
      assertThat(started.get(20, java.util.concurrent.TimeUnit.SECONDS).applied())
          .as("marked while the ack's lock is held")
          .isEqualTo(4);
      ack.rollback();
    } finally {
      pool.shutdownNow();
    }
    clock.advance(LEASE.plusSeconds(1));
    java.util.List<io.sluice.spi.Lease> again =
        store.claim(io.sluice.spi.ClaimRequest.of("g", "t", 10, LEASE));
    assertThat(again).extracting(l -> l.attempt()).containsExactly(2, 2, 2, 2, 1, 1, 1, 1, 1, 1);
  }

  /** Ten messages in topic t (one partition), claimed by group g in one claim: one run row. */
  private java.util.List<io.sluice.spi.Lease> claimTenAsOneRun() {
    store.createTopic("t", io.sluice.api.TopicConfig.partitions(1));
    java.util.List<io.sluice.spi.OutgoingMessage> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(io.sluice.spi.OutgoingMessage.of(io.sluice.api.Message.of("m" + i)));
    }
    store.append("t", batch);
    return store.claim(io.sluice.spi.ClaimRequest.of("g", "t", 10, LEASE));
  }

  private int waitingOnLocks() throws java.sql.SQLException {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(PG.url(), PG.user(), PG.password());
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
