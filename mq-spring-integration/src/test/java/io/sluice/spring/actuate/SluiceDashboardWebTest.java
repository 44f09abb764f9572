package io.sluice.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.SluiceAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard and the {@code sluice} endpoint's writes over real HTTP, in a Spring MVC app on the
 * file store, with the requests the page itself sends.
 */
@SpringBootTest(
    classes = SluiceDashboardWebTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "sluice.storage.file.durability=os",
      "sluice.dashboard.enabled=true",
      "sluice.dashboard.sample-interval=200ms",
      "management.endpoints.web.exposure.include=sluice,sluicedashboard"
    })
class SluiceDashboardWebTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @TempDir static Path dir;

  @DynamicPropertySource
  static void directory(DynamicPropertyRegistry registry) {
    registry.add("sluice.storage.file.directory", () -> dir.resolve("store").toString());
  }

  @Value("${local.server.port}")
  int port;

  @Autowired Sluice sluice;
  @Autowired SluiceAdmin admin;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void topics() {
    admin.createTopic("orders", TopicConfig.partitions(2));
    admin.createTopic("orders.dlq", TopicConfig.partitions(1));
    if (admin.listGroups("orders").isEmpty()) {
      sluice.consumer("billing").subscribe("orders").handler(d -> {}).start();
      sluice.producer().send("orders", Message.of("warm-up"));
      await().atMost(WAIT).until(() -> admin.listGroups("orders").contains("billing"));
    }
    admin.resume("billing", null);
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  HttpResponse<String> get(String path, String accept) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Accept", "application/json")
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageIsServedUnderTheActuatorBasePath() throws Exception {
    HttpResponse<String> page =
        get("/actuator/sluicedashboard", "text/html,application/xhtml+xml,*/*;q=0.8");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("<title>Sluice dashboard</title>");
  }

  @Test
  void theApiAnswersTheRequestsThePageSends() throws Exception {
    HttpResponse<String> overview =
        get("/actuator/sluicedashboard/api/overview", "application/json");
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(overview.body()).contains("\"name\":\"orders\"").contains("\"group\":\"billing\"");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(get("/actuator/sluicedashboard/api/history", "application/json").body())
                    .contains("\"group\":\"billing\""));
    HttpResponse<String> dlq =
        get("/actuator/sluicedashboard/api/dlq/orders.dlq?limit=5", "application/json");
    assertThat(dlq.statusCode()).isEqualTo(200);
    assertThat(dlq.body()).contains("\"pending\":0");
    assertThat(get("/actuator/sluicedashboard/api/dlq/nope.dlq", "application/json").statusCode())
        .isEqualTo(404);
  }

  @Test
  void writesAreJsonPostsAndReachTheStore() throws Exception {
    HttpResponse<String> pause =
        post(
            "/actuator/sluicedashboard/api/groups/billing/pause",
            "application/json",
            "{\"topic\":\"orders\"}");
    assertThat(pause.statusCode()).isEqualTo(200);
    assertThat(pause.body()).contains("\"paused\":true");
    assertThat(admin.isPaused("billing", "orders")).isTrue();

    HttpResponse<String> plan =
        post(
            "/actuator/sluicedashboard/api/groups/billing/reset",
            "application/json",
            "{\"topic\":\"orders\",\"to\":\"earliest\",\"dryRun\":true,\"partition\":0}");
    assertThat(plan.statusCode()).isEqualTo(200);
    assertThat(plan.body()).contains("\"dryRun\":true").contains("\"partition\":0");

    HttpResponse<String> redrive =
        post(
            "/actuator/sluicedashboard/api/dlq/orders.dlq/redrive",
            "application/json",
            "{\"ids\":\"0:0,0:1\"}");
    assertThat(redrive.statusCode()).isEqualTo(200);
    assertThat(redrive.body()).contains("\"redriven\":0");
  }

  @Test
  void aCrossSiteFormPostOrAGetChangesNothing() throws Exception {
    HttpResponse<String> form =
        post(
            "/actuator/sluicedashboard/api/groups/billing/pause",
            "application/x-www-form-urlencoded",
            "topic=orders");
    assertThat(form.statusCode()).isEqualTo(415);
    HttpResponse<String> text =
        post("/actuator/sluicedashboard/api/groups/billing/pause", "text/plain", "{}");
    assertThat(text.statusCode()).isEqualTo(415);
    HttpResponse<String> read =
        get("/actuator/sluicedashboard/api/groups/billing/pause", "application/json");
    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(admin.isPaused("billing", "orders")).isFalse();
    assertThat(admin.isPaused("billing", null)).isFalse();
  }

  @Test
  void theSluiceEndpointWritesOverHttp() throws Exception {
    HttpResponse<String> pause =
        post("/actuator/sluice/orders/billing/pause", "application/json", "");
    assertThat(pause.statusCode()).isEqualTo(200);
    assertThat(pause.body()).contains("\"paused\":true");
    HttpResponse<String> reset =
        post(
            "/actuator/sluice/orders/billing/reset-offsets",
            "application/json",
            "{\"to\":\"latest\",\"dryRun\":true}");
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(reset.body()).contains("\"dryRun\":true").contains("\"changes\":[");
    HttpResponse<String> resume =
        post("/actuator/sluice/orders/billing/resume", "application/json", "{}");
    assertThat(resume.body()).contains("\"paused\":false");
    HttpResponse<String> redrive =
        post("/actuator/sluice/orders.dlq", "application/json", "{\"group\":\"billing\"}");
    assertThat(redrive.statusCode()).isEqualTo(200);
    assertThat(redrive.body()).contains("\"redriven\":0");
    HttpResponse<String> purge =
        http.send(
            HttpRequest.newBuilder(uri("/actuator/sluice/orders.dlq?text=declined"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(purge.statusCode()).isEqualTo(200);
    assertThat(purge.body()).contains("\"purged\":0");
    HttpResponse<String> bad =
        post("/actuator/sluice/orders/billing/explode", "application/json", "{}");
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<String> get = get("/actuator/sluice/orders", "application/json");
    assertThat(get.body()).contains("\"paused\":false");
  }
}
