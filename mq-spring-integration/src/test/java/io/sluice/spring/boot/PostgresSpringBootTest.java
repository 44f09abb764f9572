package io.sluice.spring.boot;

import io.sluice.spring.testing.TestSchemas;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole integration on PostgreSQL: {@code SLUICE_TEST_POSTGRES_URL} or the local server ({@code
 * jdbc:postgresql://127.0.0.1:5432/test}, user postgres). With {@code CI=true} an unreachable
 * server fails the class; elsewhere it is skipped with the reason. Sluice's tables go into a fresh
 * schema, and the application's into another, both dropped afterwards ({@link TestSchemas}).
 */
@SpringBootTest(
    classes = {TestApplication.class, JdbcSpringBootScenarios.Outbox.class},
    properties = {"sluice.storage.type=jdbc", "management.endpoints.web.exposure.include=sluice"})
class PostgresSpringBootTest extends JdbcSpringBootScenarios {
  @RegisterExtension
  static final TestSchemas DB = TestSchemas.postgres("it", "orders (id text PRIMARY KEY)");

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
    return "postgresql";
  }
}
