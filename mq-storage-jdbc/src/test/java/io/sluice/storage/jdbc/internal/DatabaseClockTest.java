package io.sluice.storage.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.spi.tck.SettableClock;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** F15 and issue 10.5: the store clock follows the database's clock, without bias. */
class DatabaseClockTest {
  private static final String NOW = "SELECT CURRENT_TIMESTAMP(6)";

  private static HikariDataSource h2() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:clock_" + System.nanoTime());
    return new HikariDataSource(config);
  }

  @Test
  void correctsALocalClockThatIsAnHourBehind() {
    try (HikariDataSource ds = h2()) {
      SettableClock skewed = new SettableClock(Instant.now().minus(Duration.ofHours(1)));
      DatabaseClock clock = new DatabaseClock(Jdbi.create(ds), NOW, skewed);
      Instant corrected = clock.instant();
      assertThat(Duration.between(Instant.now(), corrected).abs())
          .isLessThan(Duration.ofSeconds(5));
      assertThat(clock.offset()).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
      // Local time moves on; the offset is reused until the next sample.
      skewed.advance(Duration.ofSeconds(10));
      assertThat(Duration.between(corrected, clock.instant()))
          .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(11));
    }
  }

  /**
   * Issue 10.5: a slow pool checkout (here 100 ms) is not part of the database's round trip. The
   * database (in-process H2) reads the real clock; the local clock is exactly one hour behind it,
   * so the true offset is one hour. Timing the checkout with the query would put the estimate about
   * 50 ms ahead.
   */
  @Test
  void aSlowConnectionCheckoutDoesNotBiasTheEstimate() {
    try (HikariDataSource ds = h2()) {
      DataSource slow = new SlowCheckout(ds, Duration.ofMillis(100));
      InstantSource local = InstantSource.offset(InstantSource.system(), Duration.ofHours(-1));
      DatabaseClock clock = new DatabaseClock(Jdbi.create(slow), NOW, local);
      clock.instant();
      Duration error = clock.offset().minus(Duration.ofHours(1)).abs();
      assertThat(error).as("estimate error, true offset 1 h").isLessThan(Duration.ofMillis(5));
    }
  }

  /** A data source whose {@code getConnection} takes {@code delay} (a busy pool). */
  private record SlowCheckout(DataSource ds, Duration delay) implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted", e);
      }
      return ds.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return ds.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      ds.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      ds.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return ds.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return ds.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return ds.isWrapperFor(type);
    }
  }
}
