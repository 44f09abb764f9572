package io.sluice.storage.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbBehaviourTest extends JdbcBehaviourTest {
  @RegisterExtension static final MariaDbTestDatabase DB = new MariaDbTestDatabase();

  @Override
  DataSource dataSource() {
    return DB.dataSource();
  }

  @Override
  String schema() {
    return DB.schema();
  }
}
