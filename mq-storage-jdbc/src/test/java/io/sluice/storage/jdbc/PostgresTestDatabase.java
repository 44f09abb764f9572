package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL database for one test class, found in this order:
 *
 * <ol>
 *   <li>the JDBC URL in the environment variable {@code SLUICE_TEST_POSTGRES_URL} (credentials in
 *       the URL, or {@code SLUICE_TEST_POSTGRES_USER} / {@code SLUICE_TEST_POSTGRES_PASSWORD});
 *   <li>the local server, {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres};
 *   <li>a Testcontainers PostgreSQL, when a Docker engine is available.
 * </ol>
 *
 * If the local server answers but cannot be used (no database {@code test}, login refused), the
 * class fails with a message saying how to fix it. If no server is reachable, the class is skipped
 * with the reason and the fix, except with {@code CI=true}, where it fails: in CI an unreachable
 * database is a failure, never a silent skip. Each class gets its own schema ({@code
 * sluice_t_<random>}), dropped afterwards, so runs never interfere.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();
 * ... JdbcStorage.create(PG.dataSource(), JdbcStorageConfig.builder().schema(PG.schema()).build());
 * }</pre>
 */
public final class PostgresTestDatabase extends ServerTestDatabase {
  static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  @Override
  void resolve() throws SQLException {
    String env = System.getenv("SLUICE_TEST_POSTGRES_URL");
    if (env != null && !env.isBlank()) {
      String user = System.getenv("SLUICE_TEST_POSTGRES_USER");
      String password = System.getenv("SLUICE_TEST_POSTGRES_PASSWORD");
      try (Connection c = DriverManager.getConnection(env, user, password)) {
        use(env, user, password, null);
        return; // an explicitly configured database must work: no fallback
      } catch (SQLException e) {
        throw new IllegalStateException(
            "SLUICE_TEST_POSTGRES_URL="
                + io.sluice.storage.jdbc.internal.PoolFactory.redact(env)
                + " cannot be used ("
                + e.getMessage()
                + "): fix the URL (user and password in it, or in SLUICE_TEST_POSTGRES_USER /"
                + " SLUICE_TEST_POSTGRES_PASSWORD), or unset it to use 127.0.0.1:5432/test",
            e);
      }
    }
    SQLException localFailure;
    try (Connection c =
        DriverManager.getConnection(LOCAL_URL + "?connectTimeout=3", "postgres", null)) {
      use(LOCAL_URL, "postgres", null, null);
      return;
    } catch (SQLException e) {
      localFailure = e;
    }
    if (serverAnswered(localFailure)) {
      // The server is there but cannot be used as it is: say how to fix it, never skip.
      throw new IllegalStateException(advice(localFailure), localFailure);
    }
    if (dockerAvailable()) {
      startContainer();
      return;
    }
    String reason = advice(localFailure) + "; no Docker engine is available for Testcontainers";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(reason + " (CI=true: this is a failure)", localFailure);
    }
    Assumptions.abort(reason + " (skipped; with CI=true this fails)");
  }

  /** Whether the local server answered and refused (missing database, refused login). */
  static boolean serverAnswered(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("3D000") || state.startsWith("28"));
  }

  /**
   * What is wrong with the local PostgreSQL for tests ({@link #LOCAL_URL}, user {@code postgres},
   * no password), and how to fix it.
   */
  static String advice(SQLException e) {
    String state = e.getSQLState();
    String otherwise =
        "; or point SLUICE_TEST_POSTGRES_URL at another PostgreSQL"
            + " (e.g. jdbc:postgresql://host:5432/db, user and password in the URL or in"
            + " SLUICE_TEST_POSTGRES_USER / SLUICE_TEST_POSTGRES_PASSWORD)";
    if ("3D000".equals(state)) {
      return "PostgreSQL answers on 127.0.0.1:5432 but has no database \"test\" ("
          + e.getMessage()
          + "): create it with  psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test'"
          + otherwise;
    }
    if (state != null && state.startsWith("28")) {
      return "PostgreSQL on 127.0.0.1:5432 refused user postgres without a password ("
          + e.getMessage()
          + "): allow it for local connections (trust in pg_hba.conf)"
          + otherwise;
    }
    return "no PostgreSQL for tests: SLUICE_TEST_POSTGRES_URL is unset and "
        + LOCAL_URL
        + " is unreachable ("
        + e.getMessage()
        + "): start a PostgreSQL there with a database \"test\" that user postgres can use"
        + " without a password"
        + otherwise;
  }

  private void startContainer() {
    var pg = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
    pg.start();
    use(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword(), pg);
  }

  @Override
  void configure(HikariConfig config) {
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
  }

  @Override
  String dropSchema(String schema) {
    return "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE";
  }
}
