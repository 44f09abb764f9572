package io.sluice.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.Message;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spring.autoconfigure.SluiceAutoConfiguration;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.listener.SluiceListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The JSON of {@code GET /actuator/sluice} as the README shows it: the endpoint's answer written by
 * Actuator's own JSON mapper (the one its web layer uses; it leaves out nulls). Prints the JSON (in
 * this test's output file) and checks the field names the README documents.
 */
class ActuatorJsonExampleTest {
  @TempDir Path dir;

  /** A listener that fails on "bad" payloads, which go to orders.dlq after one attempt. */
  static class Billing {
    @SluiceListener(id = "billing", topic = "orders", group = "billing", maxAttempts = "1")
    public void on(String order) {
      if (order.startsWith("bad")) {
        throw new IllegalArgumentException("malformed order " + order);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class App {
    @Bean
    Billing billing() {
      return new Billing();
    }
  }

  @Test
  void overviewJson() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                JacksonEndpointAutoConfiguration.class, SluiceAutoConfiguration.class))
        .withUserConfiguration(App.class)
        .withPropertyValues(
            "sluice.storage.file.directory=" + dir.resolve("store"),
            "sluice.topics.orders.partitions=2",
            "management.endpoints.web.exposure.include=sluice")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              SluiceTemplate template = context.getBean(SluiceTemplate.class);
              SluiceAdmin admin = context.getBean(SluiceAdmin.class);
              for (int i = 1; i <= 5; i++) {
                template.send("orders", Message.builder("order " + i).key("c-" + i).build());
              }
              template.send("orders", Message.builder("bad order").key("c-9").build());
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(
                      () ->
                          admin.lag("billing", "orders") == 0
                              && admin.countDeadLetters("orders.dlq") == 1);
              Object overview = context.getBean(SluiceEndpoint.class).overview();
              String json =
                  context
                      .getBean(EndpointJsonMapper.class)
                      .get()
                      .writerWithDefaultPrettyPrinter()
                      .writeValueAsString(overview);
              System.out.println(json);

              JsonNode root = context.getBean(EndpointJsonMapper.class).get().readTree(json);
              assertThat(names(root)).containsExactly("topics", "listeners");
              JsonNode orders = root.get("topics").get(0);
              assertThat(names(orders))
                  .containsExactly(
                      "name", "partitions", "endOffsets", "retainedMessages", "groups");
              assertThat(orders.get("retainedMessages").asLong()).isEqualTo(6);
              assertThat(names(orders.get("groups").get(0)))
                  .containsExactly("group", "lag", "inFlight", "paused");
              JsonNode dlq = root.get("topics").get(1);
              assertThat(dlq.get("name").asString()).isEqualTo("orders.dlq");
              assertThat(dlq.get("pendingDeadLetters").asLong()).isEqualTo(1);
              assertThat(names(root.get("listeners").get(0)))
                  .containsExactly("id", "group", "topics", "running", "paused");
            });
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.propertyNames().forEach(names::add);
    return names;
  }
}
