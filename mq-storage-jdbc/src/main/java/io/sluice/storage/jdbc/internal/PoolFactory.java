package io.sluice.storage.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.api.error.BackendUnavailableException;
import java.util.regex.Pattern;

/**
 * Builds the HikariCP pool the backend owns when it is given a JDBC URL. A {@code DataSource}
 * supplied by the application is used as is and never wrapped.
 */
public final class PoolFactory {
  private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd|sslpassword)=[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("//([^/@:]+):[^/@]*@");

  private PoolFactory() {}

  /**
   * A started pool. For PostgreSQL, batched inserts are rewritten into multi-row {@code INSERT}s
   * ({@code reWriteBatchedInserts}), which is what makes appends of 100 messages one round trip.
   *
   * @throws BackendUnavailableException when the database cannot be reached; its target is the URL
   *     without password
   */
  public static HikariDataSource create(String url, String user, String password, int maxSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(maxSize);
    config.setPoolName("sluice");
    config.setAutoCommit(true);
    if (url.startsWith("jdbc:postgresql:")) {
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new BackendUnavailableException(redact(url), e);
    }
  }

  /** The URL with passwords removed, safe for logs and exception messages. */
  public static String redact(String url) {
    String out = PASSWORD.matcher(url).replaceAll("$1=***");
    return USER_INFO.matcher(out).replaceAll("//$1:***@");
  }
}
