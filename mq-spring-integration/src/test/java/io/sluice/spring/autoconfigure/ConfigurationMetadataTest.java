package io.sluice.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata IDEs read (generated from {@link SluiceProperties} and merged with
 * {@code additional-spring-configuration-metadata.json}) describes every property a user types,
 * including the health switch and the per-topic map.
 */
class ConfigurationMetadataTest {
  private static final Map<String, JsonNode> PROPERTIES = new HashMap<>();

  @BeforeAll
  static void read() throws Exception {
    try (InputStream in =
        ConfigurationMetadataTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata on the classpath").isNotNull();
      JsonNode root = JsonMapper.builder().build().readTree(in);
      for (JsonNode property : root.get("properties")) {
        PROPERTIES.put(property.get("name").asString(), property);
      }
    }
  }

  @Test
  void theHealthSwitchIsDescribedWithItsDefault() {
    JsonNode health = PROPERTIES.get("management.health.sluice.enabled");
    assertThat(health).as("management.health.sluice.enabled").isNotNull();
    assertThat(health.get("type").asString()).isEqualTo("java.lang.Boolean");
    assertThat(health.get("defaultValue").asBoolean()).isTrue();
    assertThat(health.get("description").asString()).contains("health indicator");
  }

  @Test
  void theTopicsMapNamesEachPerTopicProperty() {
    JsonNode topics = PROPERTIES.get("sluice.topics");
    assertThat(topics).as("sluice.topics").isNotNull();
    assertThat(topics.get("type").asString()).contains("SluiceProperties$Topic");
    assertThat(topics.get("description").asString())
        .contains("sluice.topics.<name>.partitions")
        .contains("sluice.topics.<name>.retention")
        .contains("sluice.topics.<name>.dedupe-window")
        .contains("196");
  }

  @Test
  void everySluicePropertyHasADescription() {
    assertThat(PROPERTIES.keySet())
        .contains(
            "sluice.storage.type", "sluice.storage.file.directory", "sluice.listener.backoff");
    PROPERTIES.forEach(
        (name, property) -> {
          if (name.startsWith("sluice.")) {
            assertThat(property.path("description").asString("")).as(name).isNotBlank();
          }
        });
  }
}
