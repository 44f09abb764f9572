package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.BatchResult;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.TransactionContext;
import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.jdbc.internal.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consumer state that the JDBC schema keeps beyond the contract: handler transactions over a batch
 * with real side effects, pauses shared by every store on the database, held KEY_ORDERED rows, and
 * the upgrade of in-flight rows from schema version 1. Run on each dialect by a subclass.
 */
abstract class JdbcConsumerStateTest {
  static final Duration LEASE = Duration.ofSeconds(30);

  SettableClock clock;
  JdbcStorage store;

  abstract DataSource dataSource();

  abstract String schema();

  /** The dialect's folder under {@code db/migration}. */
  abstract String migrationFolder();

  @BeforeEach
  void open() {
    clock = new SettableClock();
    store = Stores.open(dataSource(), schema(), clock);
    Stores.empty(dataSource(), schema());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static List<Ack> acks(List<Lease> leases) {
    return leases.stream().map(l -> Ack.of(l.id())).toList();
  }

  @Test
  void aBatchHandlersWorkCommitsWithAllItsAcksOrNotAtAll() throws Exception {
    store.createTopic("t", TopicConfig.partitions(1));
    String effects = schema() + "_batch_effects";
    execute("CREATE TABLE " + effects + " (id VARCHAR(50) PRIMARY KEY)");
    try {
      batchOfAcksWithEffects(effects);
    } finally {
      execute("DROP TABLE " + effects);
    }
  }

  private void batchOfAcksWithEffects(String effects) throws Exception {
    store.append("t", JdbcBehaviourTest.batch(3, "m"));
    List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 3, LEASE));
    store.ack("g", List.of(Ack.of(leases.get(2).id())));
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    new AckRequest("g", acks(leases)), tx -> insertEffect(tx, effects, "stale")))
        .isInstanceOf(StaleDeliveryException.class);
    assertThat(count(effects)).as("the work rolled back with the acks").isZero();
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isZero();
    int inserted =
        store.inTransaction(
            new AckRequest("g", acks(leases.subList(0, 2))),
            tx -> insertEffect(tx, effects, "batch"));
    assertThat(inserted).isEqualTo(1);
    assertThat(count(effects)).isEqualTo(1);
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isEqualTo(3);
  }

  /** A pause written by one process is obeyed by another at its next claim (shared database). */
  @Test
  void aPauseSetThroughOneStoreStopsClaimsThroughAnother() {
    store.createTopic("t", TopicConfig.partitions(2));
    store.append("t", JdbcBehaviourTest.batch(4, "m"));
    try (JdbcStorage other = Stores.open(dataSource(), schema(), clock)) {
      store.pause(new PauseRequest("g", "t", true));
      assertThat(other.isPaused("g", "t")).isTrue();
      assertThat(other.claim(ClaimRequest.of("g", "t", 10, LEASE))).isEmpty();
      ClaimRequest ordered =
          ClaimRequest.of("g", "t", 10, LEASE).withOrdering(Ordering.KEY_ORDERED);
      assertThat(other.claim(ordered)).isEmpty();
      store.pause(new PauseRequest("g", null, false));
      assertThat(other.claim(ClaimRequest.of("g", "t", 10, LEASE))).hasSize(4);
    }
  }

  /**
   * A claim while paused does not start the group: its start position applies at its first claim
   * after the resume, on every claim path (on PostgreSQL the first claims take the general path,
   * which probes the pause before it creates cursors; later ones the one-statement fast path).
   */
  @Test
  void aGroupPausedBeforeItsFirstClaimStartsAtItsFirstClaimAfterTheResume() {
    store.createTopic("t", TopicConfig.partitions(1));
    store.append("t", JdbcBehaviourTest.batch(2, "before"));
    ClaimRequest latest = ClaimRequest.of("g", "t", 10, LEASE).withStartPosition(Position.LATEST);
    store.pause(new PauseRequest("g", null, true));
    assertThat(store.claim(latest)).isEmpty();
    assertThat(store.listGroups("t")).as("a paused claim starts nothing").isEmpty();
    store.append("t", JdbcBehaviourTest.batch(1, "paused"));
    store.pause(new PauseRequest("g", null, false));
    for (int i = 0; i < 3; i++) {
      assertThat(store.claim(latest)).isEmpty();
    }
    store.append("t", JdbcBehaviourTest.batch(1, "after"));
    assertThat(store.claim(latest))
        .extracting(l -> l.message().message().payloadAsString())
        .containsExactly("after0");
  }

  @Test
  void heldMessagesOfAKeyOrderedGroupAreClaimedWhenTheGroupTurnsUnordered() {
    store.createTopic("t", TopicConfig.partitions(1));
    List<OutgoingMessage> keyed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      keyed.add(OutgoingMessage.of(Message.builder("k" + i).key("k").build()));
    }
    store.append("t", keyed);
    ClaimRequest ordered = ClaimRequest.of("g", "t", 10, LEASE).withOrdering(Ordering.KEY_ORDERED);
    assertThat(store.claim(ordered)).extracting(l -> l.id().offset()).containsExactly(0L);
    assertThat(store.groupState("g", "t").get(0).lag()).isEqualTo(5);
    assertThat(store.claim(ClaimRequest.of("g", "t", 10, LEASE)))
        .as("unordered now: the held messages no longer wait for their key")
        .extracting(l -> l.id().offset())
        .containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void markStartedCountsLeasesOfSeveralTopicsInOneCall() {
    store.createTopic("a", TopicConfig.partitions(1));
    store.createTopic("b", TopicConfig.partitions(2));
    store.append("a", JdbcBehaviourTest.batch(1, "a"));
    store.append("b", List.of(OutgoingMessage.toPartition(Message.of("b"), 1)));
    Lease a = store.claim(ClaimRequest.of("g", "a", 1, LEASE)).get(0);
    Lease b = store.claim(ClaimRequest.of("g", "b", 1, LEASE)).get(0);
    BatchResult r = store.markStarted(new StartRequest("g", List.of(a.id(), b.id(), b.id())));
    assertThat(r.applied()).isEqualTo(3);
    assertThat(r.rejected()).isEmpty();
    clock.advance(LEASE);
    assertThat(store.claim(ClaimRequest.of("g", "a", 1, LEASE)).get(0).attempt()).isEqualTo(2);
    assertThat(store.claim(ClaimRequest.of("g", "b", 1, LEASE)).get(0).attempt()).isEqualTo(2);
  }

  /** Issue 12.1: a claim writes one row per run of offsets, and acks settle it without churn. */
  @Test
  void aClaimOfAThousandMessagesWritesARowPerRunAndItsAcksDeleteThem() throws Exception {
    store.createTopic("t", TopicConfig.partitions(1));
    List<OutgoingMessage> batch = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      batch.add(OutgoingMessage.of(Message.of(new byte[] {(byte) i})));
    }
    store.append("t", batch);
    List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 1_000, LEASE));
    assertThat(leases).hasSize(1_000);
    String deliveries = "\"" + schema() + "\".mq_deliveries";
    assertThat(count(deliveries)).as("runs of at most 128: 8 rows, not 1,000").isEqualTo(8);
    List<DeliveryId> ids = leases.stream().map(Lease::id).toList();
    assertThat(store.markStarted(new StartRequest("g", ids)).applied()).isEqualTo(1_000);
    assertThat(store.ack(new AckRequest("g", acks(leases.subList(500, 1_000)))).applied())
        .isEqualTo(500);
    assertThat(count(deliveries)).as("the runs of offsets 0..511 stay").isEqualTo(4);
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isZero();
    assertThat(store.ack(new AckRequest("g", acks(leases.subList(0, 500)))).applied())
        .isEqualTo(500);
    assertThat(count(deliveries)).as("a fully acked run is deleted").isZero();
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isEqualTo(1_000);
  }

  /**
   * Issue 12.1: inside one run every delivery keeps its own fencing, ack, start and attempt: out of
   * order partial acks move the committed offset to the first unacked offset; a release takes one
   * delivery out while the others stay acknowledgeable; after expiry the started ones come back as
   * attempt 2, the unstarted as attempt 1, the acked ones never.
   */
  @Test
  void aRunKeepsPerDeliveryFencingAcksStartsAndAttempts() {
    store.createTopic("t", TopicConfig.partitions(1));
    List<OutgoingMessage> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(OutgoingMessage.of(Message.of(new byte[] {(byte) i})));
    }
    store.append("t", batch);
    List<Lease> l = store.claim(ClaimRequest.of("g", "t", 10, LEASE));
    assertThat(l).extracting(x -> x.id().token()).doesNotHaveDuplicates();
    DeliveryId forged = new DeliveryId("t", 0, 3, l.get(4).id().token());
    assertThat(store.ack(new AckRequest("g", List.of(Ack.of(forged)))).rejected())
        .containsExactly(forged);
    BatchResult acked =
        store.ack(new AckRequest("g", acks(List.of(l.get(0), l.get(2), l.get(2), l.get(9)))));
    assertThat(acked.applied()).isEqualTo(3);
    assertThat(acked.rejected()).containsExactly(l.get(2).id());
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isEqualTo(1);
    assertThat(store.groupState("g", "t").get(0).lag()).isEqualTo(7);
    assertThat(store.markStarted(new StartRequest("g", List.of(l.get(1).id(), l.get(0).id()))))
        .extracting(BatchResult::applied, r -> r.rejected())
        .containsExactly(1, List.of(l.get(0).id()));
    store.markStarted(new StartRequest("g", List.of(l.get(3).id())));
    store.release(new ReleaseRequest("g", l.get(5).id(), Duration.ofSeconds(5), true));
    assertThat(store.ack(new AckRequest("g", acks(List.of(l.get(6))))).applied()).isEqualTo(1);
    assertThat(store.ack(new AckRequest("g", acks(List.of(l.get(5))))).rejected())
        .containsExactly(l.get(5).id());
    clock.advance(LEASE);
    assertThat(store.claim(ClaimRequest.of("g", "t", 10, LEASE)))
        .extracting(x -> x.id().offset() + ":" + x.attempt())
        .containsExactly("1:2", "3:2", "4:1", "5:2", "7:1", "8:1");
    assertThat(store.ack(new AckRequest("g", acks(List.of(l.get(4))))).rejected())
        .as("the expired grant")
        .containsExactly(l.get(4).id());
  }

  /**
   * Schema version 1 counted an attempt at each claim. After the upgrade a row leased at the time
   * has counted its lease's attempt (as if started), so an expiry or a failed release counts
   * nothing more and a hand-back takes it back; waiting rows keep their count.
   */
  @Test
  void inFlightRowsOfSchemaVersion1KeepTheirAttemptCounts() throws Exception {
    String old = schema() + "_v1";
    Flyway.configure(getClass().getClassLoader())
        .dataSource(dataSource())
        .schemas(old)
        .defaultSchema(old)
        .createSchemas(true)
        .table(Migrations.HISTORY_TABLE)
        .locations("classpath:db/migration/" + migrationFolder())
        .target("1")
        .load()
        .migrate();
    try {
      Instant now = clock.instant();
      writeVersion1Rows(old, now);
      try (JdbcStorage upgraded = Stores.open(dataSource(), old, clock)) {
        upgraded.release(ReleaseRequest.unprocessed("g", new DeliveryId("t", 0, 0, 77)));
        assertThat(upgraded.claim(ClaimRequest.of("g", "t", 10, LEASE)))
            .as("offset 0 handed back (2 claims, 1 taken back); offset 1 expired (2 claims)")
            .extracting(l -> l.id().offset() + ":" + l.attempt())
            .containsExactly("0:2", "1:3");
        clock.advance(Duration.ofSeconds(10));
        assertThat(upgraded.claim(ClaimRequest.of("g", "t", 10, LEASE)))
            .extracting(l -> l.id().offset() + ":" + l.attempt())
            .containsExactly("2:2");
      }
    } finally {
      execute("DROP SCHEMA \"" + old + "\" CASCADE");
    }
  }

  /**
   * Topic "t" with offsets 0..2 and group "g" past all of them: 0 leased (token 77) after two
   * claims, 1 leased after two claims but expired, 2 waiting 10 s for a retry after one claim.
   */
  private void writeVersion1Rows(String schema, Instant now) throws SQLException {
    String s = "\"" + schema + "\".";
    try (Connection c = dataSource().getConnection()) {
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO "
                  + s
                  + "mq_topics (name, partitions, retention_bytes, retain_until_consumed,"
                  + " dedupe_window_ms, max_message_bytes, created_at)"
                  + " VALUES ('t', 1, 0, FALSE, 86400000, 1048576, ?)")) {
        p.setObject(1, now.atOffset(ZoneOffset.UTC));
        p.executeUpdate();
      }
      int topicId;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id FROM " + s + "mq_topics")) {
        rs.next();
        topicId = rs.getInt(1);
      }
      execute(c, "INSERT INTO " + s + "mq_partitions VALUES (" + topicId + ", 0, 3)");
      execute(c, "INSERT INTO " + s + "mq_cursors VALUES ('g', " + topicId + ", 0, 3)");
      for (int offset = 0; offset < 3; offset++) {
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO "
                    + s
                    + "mq_messages (topic_id, partition_no, msg_offset, payload, msg_timestamp)"
                    + " VALUES (?, 0, ?, ?, ?)")) {
          p.setInt(1, topicId);
          p.setLong(2, offset);
          p.setBytes(3, ("m" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          p.setObject(4, now.atOffset(ZoneOffset.UTC));
          p.executeUpdate();
        }
      }
      Object[][] deliveries = {
        {0, 77L, 2, true, now.plus(LEASE)},
        {1, 78L, 2, true, now.minusSeconds(1)},
        {2, 0L, 1, false, now.plusSeconds(10)}
      };
      for (Object[] d : deliveries) {
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO "
                    + s
                    + "mq_deliveries (group_name, topic_id, partition_no, msg_offset, token,"
                    + " attempts, leased, visible_at, first_delivered_at)"
                    + " VALUES ('g', ?, 0, ?, ?, ?, ?, ?, ?)")) {
          p.setInt(1, topicId);
          p.setLong(2, (Integer) d[0]);
          p.setLong(3, (Long) d[1]);
          p.setInt(4, (Integer) d[2]);
          p.setBoolean(5, (Boolean) d[3]);
          p.setObject(6, ((Instant) d[4]).atOffset(ZoneOffset.UTC));
          p.setObject(7, now.minusSeconds(60).atOffset(ZoneOffset.UTC));
          p.executeUpdate();
        }
      }
    }
  }

  private static int insertEffect(TransactionContext tx, String table, String id)
      throws SQLException {
    Connection c = tx.unwrap(Connection.class).orElseThrow();
    try (Statement s = c.createStatement()) {
      return s.executeUpdate("INSERT INTO " + table + " VALUES ('" + id + "')");
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource().getConnection()) {
      execute(c, sql);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private int count(String table) throws SQLException {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
