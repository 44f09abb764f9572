package io.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.consumer.SluiceAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link DashboardApi} against a live file store, without a browser or an HTTP server. */
class DashboardApiTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;
  LiveStore store;
  SluiceAdmin admin;
  DashboardApi api;

  @BeforeEach
  void open() {
    store = LiveStore.file(dir);
    admin = store.sluice.admin();
    api = new DashboardApi(admin, InstantSource.system(), Duration.ofMillis(100), 3);
  }

  @AfterEach
  void close() {
    api.close();
    store.close();
  }

  DashboardApi.Response get(String path) {
    return get(path, Map.of());
  }

  DashboardApi.Response get(String path, Map<String, String> query) {
    return api.handle(new DashboardApi.Request("GET", path, query, null, null));
  }

  DashboardApi.Response post(String path, String json) {
    return api.handle(
        new DashboardApi.Request(
            "POST", path, Map.of(), "application/json", json.getBytes(StandardCharsets.UTF_8)));
  }

  static JsonNode json(DashboardApi.Response r) {
    assertThat(r.contentType()).isEqualTo("application/json");
    return JSON.readTree(r.body());
  }

  void deadLetterTwo() {
    store.startConsumer();
    store.send("poison a", "k-1");
    store.send("poison b", "k-2");
    await().atMost(Duration.ofSeconds(20)).until(() -> admin.countDeadLetters(LiveStore.DLQ) == 2);
  }

  @Nested
  class Reads {
    @Test
    void pageIsHtmlWithScriptAndStyleInlined() {
      for (String path : List.of("", "/")) {
        DashboardApi.Response r = get(path);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        String html = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(html)
            .contains("<title>Sluice dashboard</title>")
            .contains("function refresh()")
            .contains(".cards {")
            .doesNotContain("/*SCRIPT*/", "/*STYLE*/");
      }
    }

    @Test
    void overviewShowsTopicsPartitionsAndGroupLagPerPartition() {
      store.send("a", "k-1");
      store.send("b", "k-2");
      store.send("c", "k-3");
      admin.pause(LiveStore.GROUP, LiveStore.TOPIC);
      admin.resetOffsets(
          LiveStore.GROUP,
          LiveStore.TOPIC,
          SluiceAdmin.ALL_PARTITIONS,
          io.sluice.api.Position.EARLIEST);
      JsonNode o = json(get("/api/overview"));
      JsonNode orders = o.get("topics").get(0);
      assertThat(orders.get("name").asString()).isEqualTo("orders");
      assertThat(orders.get("partitions")).hasSize(2);
      assertThat(orders.get("endOffsetSum").asLong()).isEqualTo(3);
      assertThat(orders.get("retainedBytes").asLong()).isPositive();
      assertThat(orders.get("deadLetterTopic").asBoolean()).isFalse();
      JsonNode dlq = o.get("topics").get(1);
      assertThat(dlq.get("deadLetterTopic").asBoolean()).isTrue();
      assertThat(dlq.get("pendingDeadLetters").asLong()).isZero();
      JsonNode g = o.get("groups").get(0);
      assertThat(g.get("group").asString()).isEqualTo("billing");
      assertThat(g.get("paused").asBoolean()).isTrue();
      assertThat(g.get("lag").asLong()).isEqualTo(3);
      assertThat(g.get("partitions")).hasSize(2);
    }

    @Test
    void deadLettersShowReasonErrorAttemptsAndOriginalPosition() {
      deadLetterTwo();
      JsonNode list = json(get("/api/dlq/orders.dlq"));
      assertThat(list.get("pending").asLong()).isEqualTo(2);
      JsonNode e = list.get("entries").get(0);
      assertThat(e.get("originalTopic").asString()).isEqualTo("orders");
      assertThat(e.get("originalOffset").asLong()).isBetween(0L, 1L); // two messages, 2 partitions
      assertThat(e.get("originalPartition").asInt()).isBetween(0, 1);
      assertThat(e.get("group").asString()).isEqualTo("billing");
      assertThat(e.get("attempts").asInt()).isEqualTo(1);
      assertThat(e.get("errorClass").asString()).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.get("errorMessage").asString()).startsWith("card declined for k-");
      assertThat(e.get("reason").asString()).isNotBlank();
      assertThat(e.get("payload").asString()).startsWith("poison");
      assertThat(e.get("headers").toString()).contains("sluice.dlq.reason");
      assertThat(json(get("/api/dlq/orders.dlq", Map.of("limit", "1"))).get("entries")).hasSize(1);
    }

    @Test
    void historyDerivesThroughputFromCommittedOffsets() {
      store.startConsumer();
      store.send("a", "k-1");
      await().atMost(Duration.ofSeconds(20)).until(() -> admin.lag("billing", "orders") == 0);
      api.sample();
      store.send("b", "k-2");
      store.send("c", "k-3");
      await().atMost(Duration.ofSeconds(20)).until(() -> store.handled.get() == 3);
      await().atMost(Duration.ofSeconds(20)).until(() -> admin.lag("billing", "orders") == 0);
      api.sample();
      api.sample();
      api.sample(); // capacity 3: the first sample is gone
      JsonNode series = json(get("/api/history")).get("series").get(0);
      assertThat(series.get("group").asString()).isEqualTo("billing");
      assertThat(series.get("points")).hasSize(3);
      assertThat(series.get("points").get(0).get("rate").asDouble()).isZero();
      assertThat(series.get("points").get(1).get("lag").asLong()).isZero();
    }

    @Test
    void samplingRunsInTheBackgroundUntilClosed() {
      store.startConsumer();
      store.send("a", "k-1");
      await().atMost(Duration.ofSeconds(20)).until(() -> admin.lag("billing", "orders") == 0);
      api.startSampling();
      api.startSampling(); // idempotent
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> json(get("/api/history")).get("series").path(0).path("points").size() >= 2);
      api.close();
      api.close();
    }
  }

  @Nested
  class Writes {
    @Test
    void pauseAndResumeArePersistentAndReported() {
      JsonNode paused = json(post("/api/groups/billing/pause", "{\"topic\":\"orders\"}"));
      assertThat(paused.get("paused").asBoolean()).isTrue();
      assertThat(admin.isPaused("billing", "orders")).isTrue();
      json(post("/api/groups/billing/resume", "{\"topic\":\"orders\"}"));
      assertThat(admin.isPaused("billing", "orders")).isFalse();
      JsonNode whole = json(post("/api/groups/billing/pause", ""));
      assertThat(whole.get("paused").asBoolean()).isTrue();
      assertThat(admin.isPaused("billing", null)).isTrue();
      json(post("/api/groups/billing/resume", "{}"));
      assertThat(admin.isPaused("billing", "orders")).isFalse();
    }

    @Test
    void resetDryRunShowsTheChangeAndChangesNothing() {
      store.startConsumer();
      for (int i = 0; i < 4; i++) {
        store.send("m" + i, "k-" + i);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> admin.lag("billing", "orders") == 0);
      admin.pause("billing", "orders");
      JsonNode plan =
          json(
              post(
                  "/api/groups/billing/reset",
                  "{\"topic\":\"orders\",\"to\":\"earliest\",\"dryRun\":true}"));
      assertThat(plan.get("dryRun").asBoolean()).isTrue();
      assertThat(plan.get("changes")).hasSize(2);
      long replays = 0;
      for (JsonNode c : plan.get("changes")) {
        replays -= c.get("delta").asLong();
      }
      assertThat(replays).isEqualTo(4);
      assertThat(admin.lag("billing", "orders")).isZero();

      JsonNode done =
          json(
              post(
                  "/api/groups/billing/reset",
                  "{\"topic\":\"orders\",\"to\":\"offset\",\"offset\":0,\"partition\":0}"));
      assertThat(done.get("dryRun").asBoolean()).isFalse();
      assertThat(done.get("changes")).hasSize(1);
      assertThat(admin.lag("billing", "orders"))
          .isEqualTo(-done.get("changes").get(0).get("delta").asLong());
    }

    @Test
    void redriveAndPurgeByIdAndByFilter() {
      deadLetterTwo();
      store.failPoison.set(false);
      String first = admin.deadLetters(LiveStore.DLQ, 1).get(0).id();
      JsonNode one = json(post("/api/dlq/orders.dlq/redrive", "{\"ids\":[\"" + first + "\"]}"));
      assertThat(one.get("redriven").asLong()).isEqualTo(1);
      assertThat(admin.countDeadLetters(LiveStore.DLQ)).isEqualTo(1);
      JsonNode none = json(post("/api/dlq/orders.dlq/purge", "{\"group\":\"someone-else\"}"));
      assertThat(none.get("purged").asLong()).isZero();
      JsonNode purged = json(post("/api/dlq/orders.dlq/purge", "{\"text\":\"declined\"}"));
      assertThat(purged.get("purged").asLong()).isEqualTo(1);
      assertThat(admin.countDeadLetters(LiveStore.DLQ)).isZero();
      assertThat(json(post("/api/dlq/orders.dlq/redrive", "{}")).get("redriven").asLong()).isZero();
    }
  }

  @Nested
  class BadInput {
    @Test
    void writesNeedPostWithAJsonBody() {
      var form =
          api.handle(
              new DashboardApi.Request(
                  "POST",
                  "/api/groups/billing/pause",
                  Map.of(),
                  "application/x-www-form-urlencoded",
                  "topic=orders".getBytes(StandardCharsets.UTF_8)));
      assertThat(form.status()).isEqualTo(415);
      assertThat(admin.isPaused("billing", "orders")).isFalse();
      assertThat(
              api.handle(
                      new DashboardApi.Request(
                          "POST", "/api/groups/billing/pause", Map.of(), null, null))
                  .status())
          .isEqualTo(415);
      assertThat(get("/api/groups/billing/pause").status()).isEqualTo(404);
      assertThat(
              api.handle(
                      new DashboardApi.Request(
                          "DELETE", "/api/dlq/orders.dlq", Map.of(), "application/json", null))
                  .status())
          .isEqualTo(405);
      assertThat(api.handle(new DashboardApi.Request("PUT", "/", Map.of(), null, null)).status())
          .isEqualTo(405);
    }

    @Test
    void errorsAreJsonWithAStatusAndAMessage() {
      JsonNode missing = json(get("/api/dlq/nope.dlq"));
      assertThat(missing.get("status").asInt()).isEqualTo(404);
      assertThat(missing.get("message").asString()).contains("nope.dlq");
      assertThat(get("/api/nothing").status()).isEqualTo(404);
      assertThat(get("/favicon.ico").status()).isEqualTo(404);
      assertThat(json(get("/api/dlq/orders.dlq", Map.of("limit", "0"))).get("message").asString())
          .contains("limit must be between 1 and 1000, found 0");
      assertThat(get("/api/dlq/orders.dlq", Map.of("limit", "x")).status()).isEqualTo(400);
      assertThat(post("/api/groups/billing/reset", "{\"topic\":\"orders\"}").status())
          .isEqualTo(400);
      assertThat(
              post("/api/groups/billing/reset", "{\"topic\":\"orders\",\"to\":\"soon\"}").status())
          .isEqualTo(400);
      assertThat(
              post(
                      "/api/groups/billing/reset",
                      "{\"topic\":\"orders\",\"to\":\"time\",\"time\":\"x\"}")
                  .status())
          .isEqualTo(400);
      assertThat(post("/api/groups/billing/pause", "[1]").status()).isEqualTo(400);
      assertThat(post("/api/groups/billing/pause", "{not json").status()).isEqualTo(400);
      assertThat(post("/api/groups/bad name!/pause", "{}").status()).isEqualTo(400);
      assertThat(post("/api/dlq/orders.dlq/redrive", "{\"ids\":[\"zero\"]}").status())
          .isEqualTo(400);
    }

    @Test
    void aReadOnlyDashboardReadsButRefusesEveryWrite() {
      try (DashboardApi readOnly =
          new DashboardApi(admin, InstantSource.system(), Duration.ofSeconds(1), 2, true)) {
        var write =
            readOnly.handle(
                new DashboardApi.Request(
                    "POST",
                    "/api/groups/billing/pause",
                    Map.of(),
                    "application/json",
                    "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(write.status()).isEqualTo(403);
        assertThat(json(write).get("error").asString()).isEqualTo("read_only");
        assertThat(admin.isPaused("billing", null)).isFalse();
        var overview =
            readOnly.handle(new DashboardApi.Request("GET", "/api/overview", Map.of(), null, null));
        assertThat(json(overview).get("readOnly").asBoolean()).isTrue();
      }
      assertThat(json(get("/api/overview")).get("readOnly").asBoolean()).isFalse();
    }

    @Test
    void constructorRejectsBadSettings() {
      assertThatThrownBy(() -> new DashboardApi(admin, InstantSource.system(), Duration.ZERO, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sampleInterval");
      assertThatThrownBy(
              () -> new DashboardApi(admin, InstantSource.system(), Duration.ofSeconds(1), 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("historySize");
    }
  }
}
