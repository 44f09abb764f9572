package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the test databases on a server share: one schema ({@code sluice_t_<random>}) and one pool
 * per test class (its {@code @Nested} classes share them), dropped and closed after the class, and
 * a Testcontainers server when a subclass starts one. A subclass finds the server ({@link
 * #resolve}) and says how to drop a schema ({@link #dropSchema}).
 */
abstract class ServerTestDatabase implements BeforeAllCallback, AfterAllCallback {
  private String url;
  private String user;
  private String password;
  private String schema;
  private HikariDataSource dataSource;
  private AutoCloseable container;
  private Class<?> owner;

  /** Finds the server, then calls {@link #use}; skips or fails the class when there is none. */
  abstract void resolve() throws SQLException;

  /** The statement that drops {@code schema} with everything in it. */
  abstract String dropSchema(String schema);

  /** Pool settings beyond URL, credentials and size. */
  void configure(HikariConfig config) {}

  /** The server to use; {@code container} (or null) is closed after the class. */
  final void use(String url, String user, String password, AutoCloseable container) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.container = container;
  }

  static boolean dockerAvailable() {
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Override
  public final void beforeAll(ExtensionContext context) throws Exception {
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
    configure(config);
    dataSource = new HikariDataSource(config);
  }

  @Override
  public final void afterAll(ExtensionContext context) throws Exception {
    if (context.getRequiredTestClass() != owner) {
      return;
    }
    owner = null;
    if (dataSource != null) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute(dropSchema(schema));
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

  /** This class's schema (created by the store's migrations, dropped after the class). */
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
