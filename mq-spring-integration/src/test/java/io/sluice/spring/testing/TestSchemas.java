package io.sluice.spring.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Two fresh schemas on a database server for one test class, as a class extension: Sluice's ({@link
 * #sluiceSchema()}, created by its migrations) and the application's ({@link #appSchema()}, created
 * here with one table). Before the class it creates the application's schema and table; a server
 * that cannot be used fails the class with {@code CI=true} and skips it elsewhere (PostgreSQL: a
 * server that answered, with a missing database or a refused login, fails it always, with how to
 * fix it). After the class, and after its {@code @AfterAll} methods, both schemas are dropped.
 *
 * <p>PostgreSQL from {@code SLUICE_TEST_POSTGRES_URL}, else {@code 127.0.0.1:5432/test} as {@code
 * postgres}; MariaDB from {@code SLUICE_TEST_MARIADB_URL}, else {@code 127.0.0.1:3306/test} as
 * {@code root} (a MariaDB schema is a database).
 */
public final class TestSchemas implements BeforeAllCallback, AfterAllCallback {
  private static final String POSTGRES_FIX =
      "; create the database with  psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test'"
          + " (user postgres without password), or set SLUICE_TEST_POSTGRES_URL to a JDBC URL"
          + " with user and password";

  private final boolean postgres;
  private final String url;
  private final String sluiceSchema;
  private final String appSchema;
  private final String table;

  private TestSchemas(boolean postgres, String url, String prefix, String table) {
    String suffix =
        UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    this.postgres = postgres;
    this.url = url;
    this.sluiceSchema = "sluice_" + prefix + "_" + suffix;
    this.appSchema = "app_" + prefix + "_" + suffix;
    this.table = table;
  }

  /**
   * Schemas {@code sluice_<prefix>_<random>} and {@code app_<prefix>_<random>} on PostgreSQL, the
   * latter holding {@code table} (a name and column list, e.g. {@code orders (id text PRIMARY
   * KEY)}).
   */
  public static TestSchemas postgres(String prefix, String table) {
    String url =
        System.getenv()
            .getOrDefault(
                "SLUICE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    return new TestSchemas(true, url, prefix, table);
  }

  /** As {@link #postgres}, on MariaDB. */
  public static TestSchemas mariadb(String prefix, String table) {
    String url =
        System.getenv()
            .getOrDefault(
                "SLUICE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
    return new TestSchemas(false, url, prefix, table);
  }

  public String url() {
    return url;
  }

  public String sluiceSchema() {
    return sluiceSchema;
  }

  public String appSchema() {
    return appSchema;
  }

  /** The application's DataSource and Sluice's schema as Spring properties. */
  public void register(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> url);
    if (postgres) {
      registry.add("spring.datasource.username", () -> "postgres");
    }
    registry.add("sluice.storage.jdbc.schema", () -> sluiceSchema);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    String server = postgres ? "PostgreSQL" : "MariaDB";
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute((postgres ? "CREATE SCHEMA " : "CREATE DATABASE ") + appSchema);
      s.execute("CREATE TABLE " + appSchema + "." + table);
    } catch (SQLException e) {
      String state = e.getSQLState();
      boolean answered = "3D000".equals(state) || (state != null && state.startsWith("28"));
      String fix = postgres ? POSTGRES_FIX : "";
      if ("true".equalsIgnoreCase(System.getenv("CI")) || (postgres && answered)) {
        // In CI, and whenever PostgreSQL answered (missing database, refused login): a failure.
        throw new IllegalStateException(
            server + " at " + url + " cannot be used: " + e.getMessage() + fix, e);
      }
      Assumptions.abort(server + " not reachable at " + url + ": " + e.getMessage() + fix);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    String drop = postgres ? "DROP SCHEMA IF EXISTS %s CASCADE" : "DROP DATABASE IF EXISTS %s";
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(drop.formatted(sluiceSchema));
      s.execute(drop.formatted(appSchema));
    }
  }
}
