package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.jdbc.internal.MariaDbDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What MariaDB does differently, checked on the server: instants stored as UTC whatever the JVM's
 * and the session's time zones, names and keys compared byte for byte, and the errors the driver
 * really raises classified as on PostgreSQL (retry, unique violation, lost connection).
 */
class MariaDbDifferencesTest {
  @RegisterExtension static final MariaDbTestDatabase DB = new MariaDbTestDatabase();

  @Test
  void instantsRoundTripAndAreStoredAsUtcWhateverTheTimeZones() throws Exception {
    Instant ts = Instant.parse("2026-01-01T10:00:00.123456Z");
    Instant deliverAt = Instant.parse("2026-07-01T22:30:00.000001Z");
    TimeZone jvm = TimeZone.getDefault();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(DB.url());
    config.setUsername(DB.user());
    config.setPassword(DB.password());
    config.setConnectionInitSql("SET time_zone = '+05:00'");
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try (HikariDataSource shifted = new HikariDataSource(config);
        JdbcStorage store = Stores.open(shifted, DB.schema(), new SettableClock())) {
      store.createTopic("tz", TopicConfig.partitions(1));
      store.append(
          "tz",
          List.of(
              OutgoingMessage.of(Message.builder("m").timestamp(ts).deliverAt(deliverAt).build())));
      StoredMessage read = store.read("tz", 0, 0, 1).get(0);
      assertThat(read.message().timestamp()).isEqualTo(ts);
      assertThat(read.message().deliverAt()).isEqualTo(deliverAt);
    } finally {
      TimeZone.setDefault(jvm);
    }
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT CAST(m.msg_timestamp AS CHAR), CAST(m.deliver_at AS CHAR) FROM `"
                    + DB.schema()
                    + "`.mq_messages m JOIN `"
                    + DB.schema()
                    + "`.mq_topics t ON t.id = m.topic_id WHERE t.name = 'tz'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("2026-01-01 10:00:00.123456");
      assertThat(rs.getString(2)).isEqualTo("2026-07-01 22:30:00.000001");
    }
  }

  @Test
  void namesAndKeysCompareByteForByte() {
    try (JdbcStorage store = Stores.open(DB.dataSource(), DB.schema(), new SettableClock())) {
      store.createTopic("Case", TopicConfig.partitions(1));
      store.createTopic("case", TopicConfig.partitions(2));
      assertThat(store.describeTopic("Case").partitions()).hasSize(1);
      assertThat(store.describeTopic("case").partitions()).hasSize(2);
      var receipts =
          store.append(
              "Case",
              List.of(
                  OutgoingMessage.of(Message.builder("a").idempotencyKey("k").build()),
                  OutgoingMessage.of(Message.builder("b").idempotencyKey("k ").build()),
                  OutgoingMessage.of(Message.builder("c").idempotencyKey("K").build())));
      assertThat(receipts).noneMatch(r -> r.duplicate());
      assertThat(receipts).extracting(r -> r.offset()).containsExactly(0L, 1L, 2L);
    }
  }

  @Test
  void aDuplicateKeyIsAUniqueViolation() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE dup (id int PRIMARY KEY) ENGINE=InnoDB");
      s.execute("INSERT INTO dup VALUES (1)");
      SQLException e =
          catchThrowableOfType(SQLException.class, () -> s.execute("INSERT INTO dup VALUES (1)"));
      assertThat(MariaDbDialect.INSTANCE.uniqueViolation(e)).as(e.toString()).isTrue();
      assertThat(MariaDbDialect.INSTANCE.retryable(e)).isFalse();
      assertThat(MariaDbDialect.INSTANCE.connectionLost(e)).isFalse();
    }
  }

  @Test
  void aDeadlockIsRetryable() throws Exception {
    try (Connection setup = connect();
        Statement s = setup.createStatement()) {
      s.execute("CREATE TABLE dl (id int PRIMARY KEY, v int) ENGINE=InnoDB");
      s.execute("INSERT INTO dl VALUES (1, 0), (2, 0)");
    }
    // Its own thread, not the common pool: with two cores that pool has one worker, which
    // another test's task could still hold.
    java.util.concurrent.ExecutorService own =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (Connection a = connect();
        Connection b = connect()) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      a.createStatement().executeUpdate("UPDATE dl SET v = 1 WHERE id = 1");
      b.createStatement().executeUpdate("UPDATE dl SET v = 1 WHERE id = 2");
      CompletableFuture<Void> first =
          CompletableFuture.runAsync(() -> update(a, "UPDATE dl SET v = 2 WHERE id = 2"), own);
      SQLException e = null;
      try {
        waitUntilBlocked(first);
        b.createStatement().executeUpdate("UPDATE dl SET v = 2 WHERE id = 1");
      } catch (SQLException deadlock) {
        e = deadlock;
      }
      if (e == null) { // the server chose a as the victim
        Throwable t = catchThrowableOfType(Exception.class, () -> first.get(20, TimeUnit.SECONDS));
        e = (SQLException) t.getCause().getCause();
      } else {
        first.get(20, TimeUnit.SECONDS);
      }
      assertThat(e.getErrorCode()).as(e.toString()).isEqualTo(1213);
      assertThat(MariaDbDialect.INSTANCE.retryable(e)).isTrue();
      assertThat(MariaDbDialect.INSTANCE.uniqueViolation(e)).isFalse();
      a.rollback();
      b.rollback();
    } finally {
      own.shutdownNow();
    }
  }

  @Test
  void aLockWaitTimeoutIsRetryable() throws Exception {
    try (Connection setup = connect();
        Statement s = setup.createStatement()) {
      s.execute("CREATE TABLE lw (id int PRIMARY KEY) ENGINE=InnoDB");
      s.execute("INSERT INTO lw VALUES (1)");
    }
    try (Connection a = connect();
        Connection b = connect()) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      a.createStatement().executeUpdate("UPDATE lw SET id = 1 WHERE id = 1");
      b.createStatement().execute("SET SESSION innodb_lock_wait_timeout = 1");
      SQLException e =
          catchThrowableOfType(
              SQLException.class,
              () -> b.createStatement().executeUpdate("UPDATE lw SET id = 1 WHERE id = 1"));
      assertThat(e.getErrorCode()).as(e.toString()).isEqualTo(1205);
      assertThat(MariaDbDialect.INSTANCE.retryable(e)).isTrue();
      a.rollback();
      b.rollback();
    }
  }

  @Test
  void aKilledConnectionIsLost() throws Exception {
    try (Connection victim = connect();
        Connection killer = connect()) {
      long id;
      try (ResultSet rs = victim.createStatement().executeQuery("SELECT CONNECTION_ID()")) {
        rs.next();
        id = rs.getLong(1);
      }
      killer.createStatement().execute("KILL CONNECTION " + id);
      SQLException e =
          catchThrowableOfType(
              SQLException.class, () -> victim.createStatement().executeQuery("SELECT 1"));
      assertThat(MariaDbDialect.INSTANCE.connectionLost(e)).as(e.toString()).isTrue();
      assertThat(MariaDbDialect.INSTANCE.retryable(e)).isFalse();
    }
  }

  private static void update(Connection c, String sql) {
    try {
      c.createStatement().executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until some session of this database waits for a row lock. */
  /** Waits until a session waits for a lock; fails at once if {@code blocker} ended instead. */
  private static void waitUntilBlocked(CompletableFuture<Void> blocker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      while (true) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.innodb_trx"
                    + " WHERE trx_state = 'LOCK WAIT'")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        if (blocker.isDone()) {
          blocker.get(); // throws what ended it
          throw new AssertionError("the blocking update finished without waiting for a lock");
        }
        assertThat(System.nanoTime()).as("a session waits for a lock").isLessThan(deadline);
        Thread.sleep(10);
      }
    }
  }

  /** A connection to this class's scratch database (beside the store's), made on first use. */
  private static Connection connect() throws SQLException {
    try (Connection c = DriverManager.getConnection(DB.url(), DB.user(), DB.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS `" + scratch() + "`");
    }
    Connection c = DriverManager.getConnection(DB.url(), DB.user(), DB.password());
    c.setCatalog(scratch());
    return c;
  }

  private static String scratch() {
    return DB.schema() + "_raw";
  }

  @AfterAll
  static void dropScratch() throws SQLException {
    try (Connection c = DriverManager.getConnection(DB.url(), DB.user(), DB.password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + scratch() + "`");
    }
  }
}
