package io.sluice.storage.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresProducerTest extends JdbcProducerTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  @Override
  DataSource dataSource() {
    return PG.dataSource();
  }

  @Override
  String schema() {
    return PG.schema();
  }
}
