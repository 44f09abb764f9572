package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.tck.SettableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Wake-ups across stores (issue 12.2): a store that watches a topic learns of appends made through
 * another store on the same database (another process in production) by {@code LISTEN/NOTIFY}, of
 * transactional sends only once their transaction commits, and again after its listening connection
 * was killed.
 */
class PostgresNotificationsTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  private static final long DEADLINE_MS = 20_000;

  JdbcStorage listener;
  JdbcStorage producer;
  final Set<String> woken = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void open() {
    listener = Stores.open(PG.dataSource(), PG.schema(), new SettableClock());
    producer = Stores.open(PG.dataSource(), PG.schema(), new SettableClock());
    Stores.empty(PG.dataSource(), PG.schema());
  }

  @AfterEach
  void close() {
    producer.close();
    listener.close();
  }

  /** Another store on the test schema, with {@code options} applied to its configuration. */
  private static JdbcStorage store(UnaryOperator<JdbcStorageConfig.Builder> options) {
    return JdbcStorage.create(
        PG.dataSource(), options.apply(Stores.config(PG.schema(), new SettableClock())).build());
  }

  private AppendWatch watch(String topic) {
    producer.createTopic(topic, TopicConfig.partitions(1));
    return listener.watchAppends(topic, () -> woken.add(topic));
  }

  /** Appends through the producer store until the listener store's watcher hears of one. */
  private void sendUntilWoken(String topic) throws InterruptedException {
    await(
        () -> {
          producer.append(topic, java.util.List.of(one()));
          return woken.contains(topic);
        });
  }

  private static io.sluice.spi.OutgoingMessage one() {
    return io.sluice.spi.OutgoingMessage.of(Message.of("m"));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within the deadline").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void anAppendThroughAnotherStoreWakesTheWatcher() throws Exception {
    try (AppendWatch w = watch("orders")) {
      sendUntilWoken("orders");
    }
  }

  /**
   * A transactional send wakes nobody while its transaction is open or after a rollback, and wakes
   * the watchers once it commits. (A committed send to another topic, heard afterwards, shows that
   * the rolled-back one would have been heard by then: notifications arrive in commit order.)
   */
  @Test
  void aTransactionalSendWakesOnlyOnCommit() throws Exception {
    try (AppendWatch w = watch("outbox");
        AppendWatch c = watch("control")) {
      sendUntilWoken("control"); // the listener is up
      woken.clear();
      TransactionalSend outbox = producer.transactionalSend();
      try (Connection conn = PG.dataSource().getConnection()) {
        conn.setAutoCommit(false);
        outbox.send(conn, "outbox", Message.of("rolled back"));
        conn.rollback();
        producer.append("control", java.util.List.of(one()));
        await(() -> woken.contains("control"));
        assertThat(woken).doesNotContain("outbox");
        outbox.send(conn, "outbox", Message.of("committed"));
        outbox.send(conn, "outbox", Message.of("committed too"));
        conn.commit();
      }
      await(() -> woken.contains("outbox"));
    }
  }

  @Test
  void theWatcherIsWokenAgainAfterItsListeningConnectionIsKilled() throws Exception {
    try (AppendWatch w = watch("orders")) {
      sendUntilWoken("orders");
      try (Connection c = PG.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      + " WHERE query LIKE 'LISTEN \"sluice_"
                      + PG.schema()
                      + "\"%'")) {
        assertThat(rs.next()).as("a listening backend").isTrue();
      }
      woken.clear();
      sendUntilWoken("orders");
    }
  }

  @Test
  void theCapabilitiesSayWhetherNotificationsCrossProcesses() {
    assertThat(listener.capabilities().crossProcessNotifications()).isTrue();
    try (JdbcStorage off = store(b -> b.notifications(false))) {
      assertThat(off.capabilities().crossProcessNotifications()).isFalse();
    }
  }

  /**
   * The notifier rests {@code notifyInterval} after each round: the first append after a quiet
   * spell is heard at once, and a burst during the rest is heard once, at its end.
   */
  @Test
  void appendsDuringTheNotifiersRestAreHeardOnceAtItsEnd() throws Exception {
    try (AppendWatch warm = watch("warm")) {
      sendUntilWoken("warm"); // the listener store is listening
    }
    AtomicInteger wakes = new AtomicInteger();
    try (JdbcStorage slow = store(b -> b.notifyInterval(JdbcStorageConfig.MAX_NOTIFY_INTERVAL));
        AppendWatch created = watch("burst")) {
      try (AppendWatch counting = listener.watchAppends("burst", wakes::incrementAndGet)) {
        slow.append("burst", java.util.List.of(one()));
        await(() -> wakes.get() == 1);
        long heard = System.nanoTime();
        for (int i = 0; i < 15; i++) {
          slow.append("burst", java.util.List.of(one()));
          Thread.sleep(20);
        }
        await(() -> wakes.get() >= 2);
        assertThat(System.nanoTime() - heard)
            .as("the burst was heard after the rest")
            .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(300));
        Thread.sleep(300); // a third could only come from a notification per append
        assertThat(wakes.get()).as("15 appends in one rest: one notification").isEqualTo(2);
      }
    }
  }

  @Test
  void notifyIntervalIsBetweenZeroAndOneSecond() {
    assertThat(JdbcStorageConfig.defaults().notifyInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(JdbcStorageConfig.builder().notifyInterval(Duration.ZERO).build().notifyInterval())
        .isZero();
    for (Duration bad : new Duration[] {null, Duration.ofNanos(-1), Duration.ofMillis(1_001)}) {
      assertThatThrownBy(() -> JdbcStorageConfig.builder().notifyInterval(bad).build())
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("notifyInterval must be between 0 and PT1S, found " + bad);
    }
  }

  @Test
  void withNotificationsOffOtherStoresAreNotWoken() throws Exception {
    listener.close();
    listener = store(b -> b.notifications(false));
    try (AppendWatch w = watch("orders")) {
      for (int i = 0; i < 20; i++) {
        producer.append("orders", java.util.List.of(one()));
      }
      Thread.sleep(500); // nothing can come: this store has no listening connection
      assertThat(woken).isEmpty();
      try (Connection c = PG.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN \"sluice_"
                      + PG.schema()
                      + "\"%'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("only the producer store listens").isEqualTo(1);
      }
    }
  }
}
