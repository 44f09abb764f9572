package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2ProducerTest extends JdbcProducerTest {
  static HikariDataSource ds;

  @BeforeAll
  static void start() {
    ds = H2Databases.create();
  }

  @AfterAll
  static void stop() {
    ds.close();
  }

  @Override
  DataSource dataSource() {
    return ds;
  }

  @Override
  String schema() {
    return "sluice";
  }
}
