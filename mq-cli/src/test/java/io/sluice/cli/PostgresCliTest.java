package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Storage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line on PostgreSQL ({@code $SLUICE_TEST_POSTGRES_URL}, else {@code
 * 127.0.0.1:5432/test}, user {@code postgres}), in a fresh schema per test. The application stays
 * connected throughout: a database is shared, so write commands run beside it. Without a server the
 * class is skipped, except with {@code CI=true}, where that is a failure.
 */
class PostgresCliTest extends CliCases {
  static final String URL =
      System.getenv()
          .getOrDefault("SLUICE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER = "postgres";

  private String schema;

  @BeforeAll
  static void requireDatabase() {
    try (Connection c = DriverManager.getConnection(URL, USER, null)) {
      c.isValid(3);
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL unreachable at " + URL + " in CI", e);
      }
      Assumptions.abort("PostgreSQL unreachable at " + URL + ": " + e.getMessage());
    }
  }

  @Override
  Storage openStore() {
    schema = "sluice_cli_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    return JdbcStorage.create(URL, USER, null, JdbcStorageConfig.builder().schema(schema).build());
  }

  @Override
  List<String> storeArgs() {
    return List.of("--store", URL, "--user", USER, "--schema", schema);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    closeApplication();
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void fileOnlyCommandsSayWhy() {
    CliRun dump = run("dump");
    assertThat(dump.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(dump.err()).contains("on a database use tail");
    assertThat(run("verify").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void anUnreachableDatabaseIsUnavailable() {
    CliRun r =
        CliRun.of("--store", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "topics");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
  }
}
