package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Private in-memory H2 databases for tests. */
final class H2Databases {
  private H2Databases() {}

  /** A pool on a fresh in-memory database that lives until the pool closes. */
  static HikariDataSource create() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(
        "jdbc:h2:mem:sluice_"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
            + ";DB_CLOSE_DELAY=0;LOCK_TIMEOUT=10000");
    config.setMaximumPoolSize(12);
    config.setMinimumIdle(1);
    return new HikariDataSource(config);
  }
}
