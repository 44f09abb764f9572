package io.sluice.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.TopicConfig;
import io.sluice.consumer.SluiceAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code management.endpoint.<id>.access=read-only}, Actuator's own switch for write
 * operations, the dashboard and the {@code sluice} endpoint still read but change nothing.
 */
@SpringBootTest(
    classes = SluiceDashboardWebTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "sluice.storage.file.durability=os",
      "sluice.dashboard.enabled=true",
      "management.endpoints.web.exposure.include=sluice,sluicedashboard",
      "management.endpoint.sluicedashboard.access=read-only",
      "management.endpoint.sluice.access=read-only"
    })
class SluiceDashboardReadOnlyWebTest {
  @TempDir static Path dir;

  @DynamicPropertySource
  static void directory(DynamicPropertyRegistry registry) {
    registry.add("sluice.storage.file.directory", () -> dir.resolve("store").toString());
  }

  @Value("${local.server.port}")
  int port;

  @Autowired SluiceAdmin admin;
  final HttpClient http = HttpClient.newHttpClient();

  int status(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString("{\"topic\":\"orders\"}"))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void readsWorkAndWritesAreRefused() throws Exception {
    admin.createTopic("orders", TopicConfig.partitions(1));
    assertThat(status("GET", "/actuator/sluicedashboard/api/overview")).isEqualTo(200);
    assertThat(status("GET", "/actuator/sluice")).isEqualTo(200);
    assertThat(status("POST", "/actuator/sluicedashboard/api/groups/billing/pause")).isIn(404, 405);
    assertThat(status("POST", "/actuator/sluice/orders/billing/pause")).isIn(404, 405);
    assertThat(status("DELETE", "/actuator/sluice/orders")).isIn(404, 405);
    assertThat(admin.isPaused("billing", "orders")).isFalse();
    assertThat(admin.isPaused("billing", null)).isFalse();
  }
}
