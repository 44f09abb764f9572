package io.sluice.storage.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How a store names the application's {@code DataSource} in logs, health details and errors: the
 * JDBC URL without passwords, and the pool's name when it is a HikariCP pool, for example {@code
 * jdbc:postgresql://db:5432/app (pool HikariPool-1)}. A {@code DataSource}'s own {@code toString()}
 * is no name: an unstarted HikariCP pool prints {@code HikariDataSource (null)}.
 */
public final class DataSourceNames {
  private DataSourceNames() {}

  /**
   * The name known without a connection: a HikariCP pool's URL and name (also behind a wrapper such
   * as Spring's {@code TransactionAwareDataSourceProxy}), otherwise the class's simple name.
   */
  public static String beforeConnecting(DataSource dataSource) {
    HikariDataSource pool = hikari(dataSource);
    if (pool == null) {
      return dataSource.getClass().getSimpleName();
    }
    String url = pool.getJdbcUrl();
    String base = url != null ? PoolFactory.redact(url) : "HikariCP pool";
    return withPool(base, pool);
  }

  /**
   * The name once connected: the URL the driver reports for {@code connection}, without passwords,
   * with the pool's name when it is a HikariCP pool; {@code fallback} when the driver reports none.
   */
  public static String connected(DataSource dataSource, Connection connection, String fallback) {
    String url;
    try {
      url = connection.getMetaData().getURL();
    } catch (SQLException | RuntimeException e) {
      url = null;
    }
    if (url == null || url.isBlank()) {
      return fallback;
    }
    HikariDataSource pool = hikari(dataSource);
    String base = PoolFactory.redact(url);
    return pool == null ? base : withPool(base, pool);
  }

  private static String withPool(String base, HikariDataSource pool) {
    String name = pool.getPoolName();
    return name == null ? base : base + " (pool " + name + ")";
  }

  private static HikariDataSource hikari(DataSource dataSource) {
    if (dataSource instanceof HikariDataSource pool) {
      return pool;
    }
    try {
      return dataSource.isWrapperFor(HikariDataSource.class)
          ? dataSource.unwrap(HikariDataSource.class)
          : null;
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }
}
