package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The test helper's messages when the local PostgreSQL cannot be used say how to fix it. */
class PostgresTestDatabaseTest {

  @Test
  void aMissingTestDatabaseFailsWithTheCommandThatCreatesIt() {
    SQLException missing = new SQLException("FATAL: database \"test\" does not exist", "3D000");
    assertThat(PostgresTestDatabase.serverAnswered(missing)).isTrue();
    assertThat(PostgresTestDatabase.advice(missing))
        .contains("has no database \"test\"")
        .contains("psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test'")
        .contains("SLUICE_TEST_POSTGRES_URL");
  }

  @Test
  void aRefusedLoginFailsAndSaysWhatToAllow() {
    SQLException refused =
        new SQLException("FATAL: password authentication failed for user \"postgres\"", "28P01");
    assertThat(PostgresTestDatabase.serverAnswered(refused)).isTrue();
    assertThat(PostgresTestDatabase.advice(refused))
        .contains("refused user postgres")
        .contains("pg_hba.conf");
  }

  @Test
  void anUnreachableServerIsNotAnAnswerAndTheAdviceSaysWhatToStart() {
    SQLException down = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
    assertThat(PostgresTestDatabase.serverAnswered(down)).isFalse();
    assertThat(PostgresTestDatabase.advice(down))
        .contains("is unreachable")
        .contains("start a PostgreSQL there with a database \"test\"");
  }

  @Test
  void theLocalServerReportsAMissingDatabaseAsTheHelperExpects() {
    try {
      DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:5432/sluice_no_such_database?connectTimeout=3",
              "postgres",
              null)
          .close();
    } catch (SQLException e) {
      if (!PostgresTestDatabase.serverAnswered(e)
          && !"true".equalsIgnoreCase(System.getenv("CI"))) {
        Assumptions.abort("no local PostgreSQL: " + e.getMessage());
      }
      assertThat(e.getSQLState()).isEqualTo("3D000");
      assertThat(PostgresTestDatabase.advice(e)).contains("CREATE DATABASE test");
      return;
    }
    throw new AssertionError("a database named sluice_no_such_database exists");
  }
}
