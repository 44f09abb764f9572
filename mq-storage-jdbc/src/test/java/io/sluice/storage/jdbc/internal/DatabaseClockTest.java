package io.sluice.storage.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.spi.tck.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** F15: a host whose clock is an hour off still gets the database's time. */
class DatabaseClockTest {

  @Test
  void correctsALocalClockThatIsAnHourBehind() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:clock_" + System.nanoTime());
    try (HikariDataSource ds = new HikariDataSource(config)) {
      SettableClock skewed = new SettableClock(Instant.now().minus(Duration.ofHours(1)));
      DatabaseClock clock =
          new DatabaseClock(Jdbi.create(ds), "SELECT CURRENT_TIMESTAMP(6)", skewed);
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
}
