package io.sluice.spring.boot;

import io.sluice.spring.testing.TestSchemas;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole integration on MariaDB, the dialect chosen from the application's {@code DataSource}:
 * {@code SLUICE_TEST_MARIADB_URL} or the local server ({@code jdbc:mariadb://127.0.0.1:3306/test},
 * user root). With {@code CI=true} an unreachable server fails the class; elsewhere it is skipped
 * with the reason. Sluice's tables go into a fresh schema (a MariaDB database), and the
 * application's into another, both dropped afterwards ({@link TestSchemas}).
 */
@SpringBootTest(
    classes = {TestApplication.class, JdbcSpringBootScenarios.Outbox.class},
    properties = {"sluice.storage.type=jdbc", "management.endpoints.web.exposure.include=sluice"})
class MariaDbSpringBootTest extends JdbcSpringBootScenarios {
  @RegisterExtension
  static final TestSchemas DB =
      TestSchemas.mariadb("it", "orders (id varchar(64) PRIMARY KEY) ENGINE=InnoDB");

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    DB.register(registry);
    registry.add("test.app-schema", DB::appSchema);
  }

  @Override
  TestSchemas db() {
    return DB;
  }

  @Override
  String backend() {
    return "mariadb";
  }
}
