package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TransactionContext;
import io.sluice.spi.tck.SettableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour specific to the JDBC backend, run on each dialect by a subclass. */
abstract class JdbcBehaviourTest {
  static final Duration LEASE = Duration.ofSeconds(30);

  SettableClock clock;
  JdbcStorage store;

  abstract DataSource dataSource();

  abstract String schema();

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

  static List<OutgoingMessage> batch(int count, String prefix) {
    List<OutgoingMessage> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(OutgoingMessage.of(Message.of(prefix + i)));
    }
    return out;
  }

  static List<Ack> acks(List<Lease> leases) {
    return leases.stream().map(l -> Ack.of(l.id())).toList();
  }

  @Test
  void appendAndReadRoundTripEveryField() {
    store.createTopic("orders", TopicConfig.partitions(2));
    Message m =
        Message.builder(new byte[0])
            .key("")
            .header("a", "1")
            .header("a", "2 \uD83D\uDE00")
            .idempotencyKey("k1")
            .deliverAt(clock.instant().plusSeconds(5))
            .build();
    Receipt r = store.append("orders", List.of(OutgoingMessage.toPartition(m, 1))).get(0);
    assertThat(r.partition()).isEqualTo(1);
    assertThat(r.offset()).isZero();
    assertThat(r.timestamp()).isEqualTo(clock.instant());
    StoredMessage read = store.read("orders", 1, 0, 10).get(0);
    assertThat(read.message()).isEqualTo(m.withTimestamp(clock.instant()));
    assertThat(store.describeTopic("orders").partitions().get(1).endOffset()).isEqualTo(1);
  }

  @Test
  void ackOutOfOrderAdvancesCommittedOverContiguousDoneOnly() {
    store.createTopic("t", TopicConfig.partitions(1));
    store.append("t", batch(5, "m"));
    List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 5, LEASE));
    assertThat(leases).extracting(l -> l.id().offset()).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(
            store
                .ack("g", List.of(Ack.of(leases.get(1).id()), Ack.of(leases.get(2).id())))
                .applied())
        .isEqualTo(2);
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isZero();
    assertThat(store.groupState("g", "t").get(0).inFlight()).isEqualTo(5);
    store.ack("g", List.of(Ack.of(leases.get(0).id())));
    assertThat(store.groupState("g", "t").get(0).committedOffset()).isEqualTo(3);
    assertThat(store.ack("g", List.of(Ack.of(leases.get(0).id()))).rejected())
        .containsExactly(leases.get(0).id());
  }

  @Test
  void expiredLeaseIsRedeliveredWithNextAttemptAndStaleAckIsRejected() {
    store.createTopic("t", TopicConfig.partitions(1));
    store.append("t", batch(1, "m"));
    Lease first = store.claim(ClaimRequest.of("g", "t", 1, LEASE)).get(0);
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).isEmpty();
    store.markStarted(new StartRequest("g", List.of(first.id()))); // its handler ran
    clock.advance(LEASE);
    Lease second = store.claim(ClaimRequest.of("g", "t", 1, LEASE)).get(0);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.id().token()).isNotEqualTo(first.id().token());
    assertThat(store.ack("g", List.of(Ack.of(first.id()))).rejected()).containsExactly(first.id());
    assertThat(store.ack("g", List.of(Ack.of(second.id()))).applied()).isEqualTo(1);
  }

  @Test
  void releaseMakesVisibleAfterTheDelayAndFencesTheOldToken() {
    store.createTopic("t", TopicConfig.partitions(1));
    store.append("t", batch(1, "m"));
    Lease lease = store.claim(ClaimRequest.of("g", "t", 1, LEASE)).get(0);
    store.release(ReleaseRequest.retry("g", lease.id(), Duration.ofSeconds(10)));
    assertThatThrownBy(() -> store.release(ReleaseRequest.retry("g", lease.id(), Duration.ZERO)))
        .isInstanceOf(StaleDeliveryException.class);
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE)).get(0).attempt()).isEqualTo(2);
  }

  @Test
  void concurrentClaimersNeverGetTheSameMessage() throws Exception {
    store.createTopic("t", TopicConfig.partitions(3));
    for (int i = 0; i < 6; i++) {
      store.append("t", batch(100, "b" + i + "-"));
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<String> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      futures.add(
          pool.submit(
              () -> {
                int empty = 0;
                while (empty < 3) {
                  List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 17, LEASE));
                  empty = leases.isEmpty() ? empty + 1 : 0;
                  for (Lease l : leases) {
                    if (!seen.add(l.id().partition() + "@" + l.id().offset())) {
                      duplicates.add(l.id().toString());
                    }
                  }
                  store.ack("g", acks(leases));
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(duplicates).isEmpty();
    assertThat(seen).hasSize(600);
    assertThat(store.groupState("g", "t")).allSatisfy(gp -> assertThat(gp.lag()).isZero());
  }

  /**
   * Claims smaller than the backlog of several partitions (PostgreSQL: one statement locks as many
   * cursors as it needs and keeps the first {@code max} messages in rotation order): every claim
   * takes at most {@code max}, each partition gives its messages in offset order from where the
   * last claim stopped, none twice and none skipped, with distinct tokens; a delayed message in the
   * middle waits for its time.
   */
  @Test
  void claimsOverSeveralPartitionsTakeEachPartitionInOrderWithoutGapsOrRepeats() {
    store.createTopic("t", TopicConfig.partitions(4));
    // The first claim creates the group's cursors, the second sees them committed: from then on
    // PostgreSQL takes the one-statement path.
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).isEmpty();
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).isEmpty();
    List<OutgoingMessage> spread = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int p = 0; p < 4; p++) {
        Message.Builder m = Message.builder(p + "-" + i);
        if (p == 1 && i == 1) {
          m.deliverAt(clock.instant().plusSeconds(60));
        }
        spread.add(OutgoingMessage.toPartition(m.build(), p));
      }
    }
    store.append("t", spread);
    java.util.Map<Integer, Long> next = new java.util.HashMap<>();
    Set<Long> tokens = new java.util.HashSet<>();
    int claimed = 0;
    for (List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 5, LEASE));
        !leases.isEmpty();
        leases = store.claim(ClaimRequest.of("g", "t", 5, LEASE))) {
      assertThat(leases).hasSizeLessThanOrEqualTo(5);
      for (Lease l : leases) {
        int p = l.id().partition();
        long expected = next.getOrDefault(p, 0L);
        if (p == 1 && expected == 1) {
          expected = 2; // past the delayed one
        }
        assertThat(l.id().offset()).as("next of partition %d", p).isEqualTo(expected);
        assertThat(l.message().message().payloadAsString()).isEqualTo(p + "-" + expected);
        assertThat(tokens.add(l.id().token())).as("token %s unique", l.id()).isTrue();
        next.put(p, expected + 1);
        claimed++;
      }
      store.ack("g", acks(leases));
    }
    assertThat(claimed).isEqualTo(11);
    clock.advance(Duration.ofSeconds(60));
    assertThat(store.claim(ClaimRequest.of("g", "t", 5, LEASE)))
        .extracting(l -> l.message().message().payloadAsString())
        .containsExactly("1-1");
  }

  @Test
  void duplicateIdempotencyKeyReturnsTheOriginalReceipt() {
    store.createTopic("t", TopicConfig.partitions(4));
    Message m = Message.builder("x").idempotencyKey("order-1").build();
    Receipt first = store.append("t", List.of(OutgoingMessage.of(m))).get(0);
    Receipt again = store.append("t", List.of(OutgoingMessage.of(m), OutgoingMessage.of(m))).get(1);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.offset()).isEqualTo(first.offset());
    assertThat(again.partition()).isEqualTo(first.partition());
    long total = store.describeTopic("t").partitions().stream().mapToLong(p -> p.endOffset()).sum();
    assertThat(total).isEqualTo(1);
  }

  @Test
  void keyOrderedHandsOutOneMessagePerKeyInOffsetOrder() {
    store.createTopic("t", TopicConfig.partitions(1));
    store.append(
        "t",
        List.of(
            OutgoingMessage.of(Message.builder("a0").key("a").build()),
            OutgoingMessage.of(Message.builder("a1").key("a").build()),
            OutgoingMessage.of(Message.builder("b0").key("b").build())));
    ClaimRequest req = ClaimRequest.of("g", "t", 10, LEASE).withOrdering(Ordering.KEY_ORDERED);
    List<Lease> first = store.claim(req);
    assertThat(first)
        .extracting(l -> l.message().message().payloadAsString())
        .containsExactly("a0", "b0");
    assertThat(store.claim(req)).isEmpty();
    store.ack("g", List.of(Ack.of(first.get(0).id())));
    assertThat(store.claim(req))
        .extracting(l -> l.message().message().payloadAsString())
        .containsExactly("a1");
  }

  @Test
  void delayedMessageIsNotClaimableBeforeItsTime() {
    store.createTopic("t", TopicConfig.partitions(1));
    store.append(
        "t",
        List.of(
            OutgoingMessage.of(
                Message.builder("later").deliverAt(clock.instant().plusSeconds(60)).build())));
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    assertThat(store.claim(ClaimRequest.of("g", "t", 1, LEASE))).hasSize(1);
  }

  @Test
  void seekReplaysAndFencesOldLeases() {
    store.createTopic("t", TopicConfig.partitions(1));
    store.append("t", batch(3, "m"));
    List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 3, LEASE));
    store.ack("g", acks(leases));
    assertThat(store.seek("g", "t", 0, Position.offset(1))).isEqualTo(1);
    assertThat(store.claim(ClaimRequest.of("g", "t", 5, LEASE)))
        .extracting(l -> l.id().offset())
        .containsExactly(1L, 2L);
  }

  @Test
  void retentionDeletesOldMessagesInBulkAndKeepsOffsets() {
    store.createTopic("t", TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
    store.append("t", batch(50, "old"));
    clock.advance(Duration.ofHours(2));
    store.append("t", batch(5, "new"));
    assertThat(store.enforceRetention()).isEqualTo(50);
    var p = store.describeTopic("t").partitions().get(0);
    assertThat(p.logStartOffset()).isEqualTo(50);
    assertThat(p.endOffset()).isEqualTo(55);
    assertThat(store.claim(ClaimRequest.of("g", "t", 100, LEASE)))
        .extracting(l -> l.id().offset())
        .containsExactly(50L, 51L, 52L, 53L, 54L);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a.DROP-TABLE-mq_messages--",
        "x--",
        "Robert.-_-.Tables",
        "mq_messages",
        "sluice.mq_topics"
      })
  void injectionLookingNamesInTheAlphabetAreData(String name) {
    store.createTopic(name, TopicConfig.partitions(1));
    store.append(name, batch(1, "p"));
    List<Lease> leases = store.claim(ClaimRequest.of(name, name, 1, LEASE));
    assertThat(leases).hasSize(1);
    assertThat(leases.get(0).id().topic()).isEqualTo(name);
    store.ack(name, acks(leases));
    assertThat(store.listGroups(name)).containsExactly(name);
    assertThat(store.listTopics()).extracting(t -> t.name()).containsExactly(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a;DROP TABLE mq_messages;--",
        "' OR 1=1 --",
        "x'); DELETE FROM mq_topics; --",
        "a b",
        "../etc",
        "\u0000",
        "тема",
        ""
      })
  void injectionAttemptsOutsideTheAlphabetAreRejectedAndChangeNothing(String name) {
    store.createTopic("keep", TopicConfig.partitions(1));
    store.append("keep", batch(2, "k"));
    assertThatThrownBy(() -> store.createTopic(name, TopicConfig.partitions(1)))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> store.append(name, batch(1, "x")))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(
            () -> store.claim(new ClaimRequest(name, "keep", 1, LEASE, null, null, null)))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> store.groupState(name, "keep"))
        .isInstanceOf(InvalidNameException.class);
    assertThat(store.listTopics()).extracting(t -> t.name()).containsExactly("keep");
    assertThat(store.read("keep", 0, 0, 10)).hasSize(2);
  }

  @Test
  void schemaMustBeAPlainIdentifier() {
    for (String bad : new String[] {"Sluice", "a-b", "x\"; DROP SCHEMA public; --", "", "1abc"}) {
      assertThatThrownBy(() -> JdbcStorageConfig.builder().schema(bad).build())
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("schema");
    }
  }

  @Test
  void transactionalSendIsVisibleOnlyAfterCommit() throws SQLException {
    store.createTopic("t", TopicConfig.partitions(1));
    TransactionalSend outbox = store.transactionalSend();
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      outbox.send(c, "t", Message.of("rolled back"));
      c.rollback();
      Receipt r = outbox.send(c, "t", Message.of("committed"));
      assertThat(store.claim(ClaimRequest.of("g", "t", 10, LEASE))).isEmpty();
      c.commit();
      List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 10, LEASE));
      assertThat(leases)
          .extracting(l -> l.message().message().payloadAsString())
          .containsExactly("committed");
      assertThat(leases.get(0).id().offset()).isEqualTo(r.offset()).isZero();
    }
  }

  @Test
  void sequenceGapLowerOffsetCommittedLateIsStillDelivered() throws Exception {
    try (Connection producerA = dataSource().getConnection()) {
      SequenceGapCases.lowerOffsetCommittedLateIsStillDelivered(store, producerA);
    }
  }

  /**
   * F17: two redrivers race over the same dead letters. Each claims from the DLQ and, inside {@code
   * inTransaction}, sends the message back to the original topic on the ack's connection; a stale
   * ack rolls the send back. Every dead letter is re-enqueued exactly once.
   */
  @Test
  void concurrentRedrivesReenqueueEachDeadLetterOnce() throws Exception {
    store.createTopic("orders", TopicConfig.partitions(2));
    store.createTopic("orders.dlq", TopicConfig.partitions(1));
    store.append("orders.dlq", batch(200, "dead"));
    TransactionalSend outbox = store.transactionalSend();
    Duration shortLease = Duration.ofSeconds(5);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> redrivers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      redrivers.add(
          pool.submit(
              () -> {
                int moved = 0;
                for (List<Lease> leases =
                        store.claim(ClaimRequest.of("redrive", "orders.dlq", 7, shortLease));
                    !leases.isEmpty();
                    leases = store.claim(ClaimRequest.of("redrive", "orders.dlq", 7, shortLease))) {
                  for (Lease l : leases) {
                    try {
                      store.inTransaction(
                          "redrive",
                          Ack.of(l.id()),
                          tx ->
                              outbox.send(
                                  tx.unwrap(Connection.class).orElseThrow(),
                                  "orders",
                                  l.message().message()));
                      moved++;
                    } catch (StaleDeliveryException e) {
                      // the other redriver owns it now; our send was rolled back
                    }
                  }
                  clock.advance(Duration.ofSeconds(1)); // some leases expire and get re-granted
                }
                return moved;
              }));
    }
    int moved = 0;
    for (Future<Integer> f : redrivers) {
      moved += f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long inOrders =
        store.describeTopic("orders").partitions().stream().mapToLong(p -> p.endOffset()).sum();
    assertThat(moved).isEqualTo(200);
    assertThat(inOrders).isEqualTo(200);
    Set<String> payloads = new java.util.HashSet<>();
    for (int p = 0; p < 2; p++) {
      store.read("orders", p, 0, 1000).forEach(m -> payloads.add(m.message().payloadAsString()));
    }
    assertThat(payloads).hasSize(200);
  }

  @Test
  void transactionalSendNeedsATransaction() throws SQLException {
    store.createTopic("t", TopicConfig.partitions(1));
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(true);
      assertThatThrownBy(() -> store.transactionalSend().send(c, "t", Message.of("x")))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("autoCommit");
    }
  }

  @Test
  void handlerWorkCommitsWithTheAckOrNotAtAll() throws Exception {
    store.createTopic("t", TopicConfig.partitions(1));
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + schema() + "_effects (id VARCHAR(50) PRIMARY KEY)");
    }
    String effects = schema() + "_effects";
    store.append("t", batch(2, "m"));
    List<Lease> leases = store.claim(ClaimRequest.of("g", "t", 2, LEASE));
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    "g",
                    Ack.of(leases.get(0).id()),
                    tx -> {
                      insertEffect(tx, effects, "m0");
                      throw new java.io.IOException("handler failed");
                    }))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("handler failed");
    String result =
        store.inTransaction(
            "g",
            new Ack(leases.get(1).id(), "key-1"),
            tx -> {
              insertEffect(tx, effects, "m1");
              return "done";
            });
    assertThat(result).isEqualTo("done");
    assertThat(store.isProcessed("g", "t", "key-1")).isTrue();
    assertThat(countEffects(effects)).isEqualTo(1);
    clock.advance(LEASE);
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    "g", Ack.of(leases.get(0).id()), tx -> insertEffect(tx, effects, "late")))
        .isInstanceOf(StaleDeliveryException.class);
    assertThat(countEffects(effects)).isEqualTo(1);
  }

  private static int insertEffect(TransactionContext tx, String table, String id)
      throws SQLException {
    Connection c = tx.unwrap(Connection.class).orElseThrow();
    try (Statement s = c.createStatement()) {
      return s.executeUpdate("INSERT INTO " + table + " VALUES ('" + id + "')");
    }
  }

  private int countEffects(String table) throws SQLException {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
