package io.sluice.spring.features;

import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The listener features on the JDBC store over an in-memory H2 database (no LISTEN/NOTIFY). */
@SpringBootTest(
    classes = FeaturesApplication.class,
    properties = {
      "sluice.storage.type=jdbc",
      "test.effects=effects",
      "sluice.topics.tx-echo.partitions=1"
    })
class H2ListenerFeaturesTest extends ListenerFeatures {
  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    String name = "features_" + UUID.randomUUID().toString().replace("-", "");
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:"
                + name
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;"
                + "INIT=CREATE TABLE IF NOT EXISTS effects (id VARCHAR(64) PRIMARY KEY)");
  }

  @Override
  java.time.Duration defaultIdlePoll() {
    return java.time.Duration.ofMillis(50); // no LISTEN/NOTIFY
  }

  @Override
  String table() {
    return "effects";
  }
}
