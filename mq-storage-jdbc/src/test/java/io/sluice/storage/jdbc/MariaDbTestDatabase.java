package io.sluice.storage.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

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
public final class MariaDbTestDatabase extends ServerTestDatabase {
  static final String LOCAL_URL = "jdbc:mariadb://127.0.0.1:3306/test";

  @Override
  void resolve() throws SQLException {
    String env = System.getenv("SLUICE_TEST_MARIADB_URL");
    if (env != null && !env.isBlank()) {
      String user = System.getenv("SLUICE_TEST_MARIADB_USER");
      String password = System.getenv("SLUICE_TEST_MARIADB_PASSWORD");
      try (Connection c = DriverManager.getConnection(env, user, password)) {
        use(env, user, password, null);
        return; // an explicitly configured database must work: no fallback
      }
    }
    SQLException localFailure;
    try (Connection c =
        DriverManager.getConnection(LOCAL_URL + "?connectTimeout=3000", "root", null)) {
      use(LOCAL_URL, "root", null, null);
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

  private void startContainer() {
    var db = new org.testcontainers.mariadb.MariaDBContainer("mariadb:10.11");
    db.withUsername("root").start(); // root: the tests create a database per class
    use(db.getJdbcUrl(), db.getUsername(), db.getPassword(), db);
  }

  /** On MariaDB a schema is a database. */
  @Override
  String dropSchema(String schema) {
    return "DROP DATABASE IF EXISTS `" + schema + "`";
  }
}
