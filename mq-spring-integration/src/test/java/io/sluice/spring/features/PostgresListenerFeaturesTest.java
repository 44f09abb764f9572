package io.sluice.spring.features;

import io.sluice.spring.testing.TestSchemas;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The listener features on PostgreSQL ({@code SLUICE_TEST_POSTGRES_URL} or the local server):
 * Sluice's tables and the application's in two fresh schemas, dropped afterwards ({@link
 * TestSchemas}). With {@code CI=true} an unreachable server fails the class; elsewhere it is
 * skipped with the reason.
 */
@SpringBootTest(
    classes = FeaturesApplication.class,
    properties = {"sluice.storage.type=jdbc", "sluice.topics.tx-echo.partitions=1"})
class PostgresListenerFeaturesTest extends ListenerFeatures {
  @RegisterExtension
  static final TestSchemas DB = TestSchemas.postgres("lf", "effects (id text PRIMARY KEY)");

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    DB.register(registry);
    registry.add("test.effects", () -> DB.appSchema() + ".effects");
  }

  @Override
  java.time.Duration defaultIdlePoll() {
    return java.time.Duration.ofSeconds(1); // LISTEN/NOTIFY wakes listeners
  }

  @Override
  String table() {
    return DB.appSchema() + ".effects";
  }
}
