package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
}
