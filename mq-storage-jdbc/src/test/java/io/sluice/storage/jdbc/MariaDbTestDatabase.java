package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MariaDB database for one test class, found in this order:
 *
 * <ol>
 *   <li>the JDBC URL in the environment variable {@code SLUICE_TEST_MARIADB_URL} (credentials in
 *       the URL, or {@code SLUICE_TEST_MARIADB_USER} / {@code SLUICE_TEST_MARIADB_PASSWORD});
 *   <li>the local server, {@code jdbc:mariadb://127.0.0.1:3306/test}, user {@code root} without a
 *       password;
 *   <li>a Testcontainers MariaDB, when a Docker engine is available.
 * </ol>
 *
 * If none is reachable, the class is skipped with the reason, except with {@code CI=true}, where it
 * fails: in CI an unreachable database is a failure, never a silent skip. Each class gets its own
 * schema, which on MariaDB is a database ({@code sluice_t_<random>}, created by the store's
 * migrations), dropped afterwards, so runs never interfere.
 *
 * <pre>{@code
 * @RegisterExtension static final MariaDbTestDatabase DB = new MariaDbTestDatabase();
 * ... JdbcStorage.create(DB.dataSource(), JdbcStorageConfig.builder().schema(DB.schema()).build());
 * }</pre>
 */
public final class MariaDbTestDatabase implements BeforeAllCallback, AfterAllCallback {
  static final String LOCAL_URL = "jdbc:mariadb://127.0.0.1:3306/test";

  private String url;
  private String user;
  private String password;
  private String schema;
  private HikariDataSource dataSource;
  private AutoCloseable container;
  private Class<?> owner;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (owner != null) {
      return; // a @Nested class of the owner: share its database
    }
    owner = context.getRequiredTestClass();
    resolve();
    schema = "sluice_t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(12);
    config.setPoolName("test-" + schema);
    dataSource = new HikariDataSource(config);
  }

  private void resolve() throws SQLException {
    String env = System.getenv("SLUICE_TEST_MARIADB_URL");
    if (env != null && !env.isBlank()) {
      url = env;
      user = System.getenv("SLUICE_TEST_MARIADB_USER");
      password = System.getenv("SLUICE_TEST_MARIADB_PASSWORD");
      try (Connection c = DriverManager.getConnection(url, user, password)) {
        return; // an explicitly configured database must work: no fallback
      }
    }
    SQLException localFailure;
    try (Connection c =
        DriverManager.getConnection(LOCAL_URL + "?connectTimeout=3000", "root", null)) {
      url = LOCAL_URL;
      user = "root";
      return;
    } catch (SQLException e) {
      localFailure = e;
    }
    if (dockerAvailable()) {
      startContainer();
      return;
    }
    String reason =
        "no MariaDB for tests: SLUICE_TEST_MARIADB_URL is unset, "
            + LOCAL_URL
            + " is unreachable ("
            + localFailure.getMessage()
            + ") and no Docker engine is available for Testcontainers";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(reason + " (CI=true: this is a failure)", localFailure);
    }
    Assumptions.abort(reason);
  }

  private static boolean dockerAvailable() {
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private void startContainer() {
    var db = new org.testcontainers.mariadb.MariaDBContainer("mariadb:10.11");
    db.withUsername("root").start(); // root: the tests create a database per class
    container = db;
    url = db.getJdbcUrl();
    user = db.getUsername();
    password = db.getPassword();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (context.getRequiredTestClass() != owner) {
      return;
    }
    owner = null;
    if (dataSource != null) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS `" + schema + "`");
      } finally {
        dataSource.close();
      }
    }
    if (container != null) {
      container.close();
    }
  }

  /** A pool on the server, closed after the class. */
  public HikariDataSource dataSource() {
    return dataSource;
  }

  /** This class's schema: a database, created by the store's migrations, dropped after. */
  public String schema() {
    return schema;
  }

  /** The JDBC URL. */
  public String url() {
    return url;
  }

  /** The user name. */
  public String user() {
    return user;
  }

  /** The password, or null. */
  public String password() {
    return password;
  }
}
