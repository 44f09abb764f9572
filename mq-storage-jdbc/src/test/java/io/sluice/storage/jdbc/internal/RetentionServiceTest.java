package io.sluice.storage.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.spi.tck.ServiceStress;
import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retention loop follows the shared {@code Service} lifecycle. */
class RetentionServiceTest {

  @Test
  void followsTheServiceLifecycle() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:retention_" + System.nanoTime());
    config.setPoolName("retention-test");
    try (HikariDataSource ds = new HikariDataSource(config);
        Engine engine =
            Engine.start(
                ds,
                JdbcStorageConfig.builder()
                    .clock(new SettableClock())
                    .retentionInterval(null)
                    .build(),
                null,
                "h2")) {
      ServiceStress.of(() -> new RetentionService(engine.retention(), Duration.ofMillis(5), "h2"))
          .ignoring(t -> t.getName().startsWith("retention-test"))
          .run();
    }
  }
}
