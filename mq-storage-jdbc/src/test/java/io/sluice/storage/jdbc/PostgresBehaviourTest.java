package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresBehaviourTest extends JdbcBehaviourTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  @Override
  DataSource dataSource() {
    return PG.dataSource();
  }

  @Override
  String schema() {
    return PG.schema();
  }

  /**
   * While another member holds the cursor of a partition with a deep backlog, a claim (the fast
   * path, which locks as many cursors as the backlogs say it needs) takes what it asked for from
   * the other partitions instead, never one of the held partition's, whether the held cursor comes
   * first, in the middle or last in its rotation; once the cursor is free, the next claim takes
   * from it.
   */
  @Test
  void aClaimTakesOtherPartitionsWhileAnotherMemberHoldsACursor() throws Exception {
    store.createTopic("t", TopicConfig.partitions(3));
    // The first claim creates the cursors, the second sees them committed: the fast path follows.
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).isEmpty();
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).isEmpty();
    List<OutgoingMessage> held = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      held.add(OutgoingMessage.toPartition(Message.of("held-" + i), 0));
    }
    store.append("t", held);
    try (Connection other = dataSource().getConnection()) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute(
            "SELECT 1 FROM "
                + schema()
                + ".mq_cursors WHERE group_name = 'g' AND partition_no = 0 FOR UPDATE");
      }
      for (int round = 0; round < 3; round++) { // each claim starts its rotation one further on
        List<OutgoingMessage> free = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          free.add(OutgoingMessage.toPartition(Message.of("one-" + i), 1));
          free.add(OutgoingMessage.toPartition(Message.of("two-" + i), 2));
        }
        store.append("t", free);
        List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 100, LEASE));
        assertThat(leases)
            .as("round %d", round)
            .hasSize(100)
            .allSatisfy(l -> assertThat(l.id().partition()).isNotZero());
        store.ack("g", acks(leases));
      }
      other.rollback();
    }
    List<Lease> freed = store.claim(ClaimRequest.of("g", "t", 100, LEASE));
    assertThat(freed).hasSize(100).allSatisfy(l -> assertThat(l.id().partition()).isZero());
  }

  /**
   * An ack or start mark of one topic, called on its own, is one statement that sets generic plans
   * for itself, settles and commits (one round trip); the commit is real (another store sees the
   * committed offset), and the connection comes back in auto-commit with the default plan mode.
   * Acks with a processed key or of two topics are not folded: their statements share one
   * transaction, committed after the last.
   */
  @Test
  void aSettleOfOneTopicCommitsInTheRoundTripOfItsStatement() throws Exception {
    store.createTopic("t", TopicConfig.partitions(2));
    store.createTopic("u", TopicConfig.partitions(1));
    store.append("t", batch(6, "t-"));
    store.append("u", batch(2, "u-"));
    try (Connection physical = dataSource().getConnection()) {
      List<String> sent = new CopyOnWriteArrayList<>();
      // No listener connection: this store has one connection.
      JdbcStorageConfig config = Stores.config(schema(), clock).notifications(false).build();
      try (JdbcStorage one = JdbcStorage.create(oneConnection(physical, sent), config)) {
        List<Lease> t = one.claim(ClaimRequest.of("g", "t", 6, LEASE));
        List<Lease> u = one.claim(ClaimRequest.of("g", "u", 2, LEASE));
        assertThat(t).hasSize(6);
        assertThat(u).hasSize(2);

        sent.clear();
        List<io.sluice.spi.DeliveryId> ids = t.stream().map(Lease::id).toList();
        assertThat(one.markStarted(new StartRequest("g", ids)).applied()).isEqualTo(6);
        assertThat(sent).filteredOn(PostgresBehaviourTest::folded).hasSize(1);
        assertThat(sent).noneMatch(sql -> sql.trim().endsWith("force_generic_plan"));
        assertDefaults(physical);

        sent.clear();
        assertThat(one.ack("g", acks(t.subList(0, 4))).applied()).isEqualTo(4);
        assertThat(sent).filteredOn(PostgresBehaviourTest::folded).hasSize(1);
        assertDefaults(physical);

        sent.clear();
        List<Ack> keyed = List.of(new Ack(t.get(4).id(), "k-4"));
        assertThat(one.ack("g", keyed).applied()).isEqualTo(1);
        assertThat(sent).noneMatch(PostgresBehaviourTest::folded);
        assertDefaults(physical);

        sent.clear();
        List<Ack> both = new ArrayList<>(acks(t.subList(5, 6)));
        both.addAll(acks(u));
        assertThat(one.ack("g", both).applied()).isEqualTo(3);
        assertThat(sent).noneMatch(PostgresBehaviourTest::folded);
        assertDefaults(physical);
      }
    }
    assertThat(store.groupState("g", "t"))
        .extracting(GroupPartition::committedOffset)
        .containsExactlyInAnyOrderElementsOf(
            store.groupState("g", "t").stream().map(GroupPartition::endOffset).toList());
    assertThat(store.groupState("g", "u")).allSatisfy(p -> assertThat(p.lag()).isZero());
    assertThat(store.isProcessed("g", "t", "k-4")).isTrue();
  }

  /** Whether a statement is a settle folded with its plan mode and its commit. */
  private static boolean folded(String sql) {
    return sql.contains("SET LOCAL plan_cache_mode") && sql.trim().endsWith("COMMIT");
  }

  /** The connection is back in auto-commit, and a new transaction plans as configured. */
  private static void assertDefaults(Connection c) throws Exception {
    assertThat(c.getAutoCommit()).isTrue();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('plan_cache_mode')")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("auto");
    }
  }

  /**
   * A data source that always hands out {@code physical} (its close ignored) and records the SQL of
   * every statement prepared on it.
   */
  private static DataSource oneConnection(Connection physical, List<String> sent) {
    Connection shared =
        (Connection)
            Proxy.newProxyInstance(
                PostgresBehaviourTest.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  if (method.getName().startsWith("prepare") && args != null) {
                    sent.add((String) args[0]);
                  }
                  try {
                    return method.invoke(physical, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return (DataSource)
        Proxy.newProxyInstance(
            PostgresBehaviourTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getConnection" -> shared;
                  case "getLogWriter" -> (PrintWriter) null;
                  case "getParentLogger" -> Logger.getGlobal();
                  case "getLoginTimeout" -> 0;
                  case "isWrapperFor" -> false;
                  case "unwrap" -> throw new java.sql.SQLException("not a wrapper");
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "one connection";
                  default -> null;
                });
  }
}
