package io.sluice.consumer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database server the consumer suite runs on, as a class extension: before the class it checks
 * that the server answers (without one the class is skipped, except with {@code CI=true}, where
 * that is a failure); after it, it drops every schema {@link #newSchema} named. PostgreSQL from
 * {@code SLUICE_TEST_POSTGRES_URL} (user {@code SLUICE_TEST_POSTGRES_USER}, password {@code
 * SLUICE_TEST_POSTGRES_PASSWORD}), else {@code 127.0.0.1:5432/test} as {@code postgres}; MariaDB
 * from {@code SLUICE_TEST_MARIADB_URL} (likewise {@code _USER}, {@code _PASSWORD}), else {@code
 * 127.0.0.1:3306/test} as {@code root}.
 */
final class TestServer implements BeforeAllCallback, AfterAllCallback {
  static final TestServer POSTGRES =
      new TestServer(
          "postgresql",
          "SLUICE_TEST_POSTGRES",
          "jdbc:postgresql://127.0.0.1:5432/test",
          "postgres",
          "DROP SCHEMA IF EXISTS %s CASCADE");

  static final TestServer MARIADB =
      new TestServer(
          "mariadb",
          "SLUICE_TEST_MARIADB",
          "jdbc:mariadb://127.0.0.1:3306/test",
          "root",
          "DROP DATABASE IF EXISTS `%s`");

  private final String kind;
  private final String url;
  private final String user;
  private final String password;
  private final String dropSchema;
  private final List<String> schemas = new CopyOnWriteArrayList<>();

  private TestServer(String kind, String env, String url, String user, String dropSchema) {
    boolean set = isSet(env + "_URL");
    this.kind = kind;
    this.url = set ? System.getenv(env + "_URL") : url;
    this.user = isSet(env + "_USER") ? System.getenv(env + "_USER") : set ? null : user;
    this.password = System.getenv(env + "_PASSWORD");
    this.dropSchema = dropSchema;
  }

  /** The store kind {@link CrashingConsumer} opens this server by. */
  String kind() {
    return kind;
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** A fresh schema name, dropped after the class. */
  String newSchema() {
    String schema =
        "sluice_cc_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    schemas.add(schema);
    return schema;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      c.isValid(3);
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(kind + " unreachable at " + url + " in CI", e);
      }
      Assumptions.abort(kind + " unreachable at " + url + ": " + e.getMessage());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      for (String name : schemas) {
        s.execute(dropSchema.formatted(name));
      }
    }
    schemas.clear();
  }

  private static boolean isSet(String name) {
    String value = System.getenv(name);
    return value != null && !value.isBlank();
  }
}
