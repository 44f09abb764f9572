package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.RetryPolicy;
import io.sluice.spi.Storage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The command line against a store, defined once and run on every backend: subclasses supply the
 * store. Each case seeds {@code orders} (2 partitions, 10 messages, two of them failing for {@code
 * billing}, which dead-letters them to {@code orders.dlq}) through a running application that stays
 * open while the commands run, as in production.
 */
abstract class CliCases {
  static final Duration WAIT = Duration.ofSeconds(20);

  Storage storage;
  Sluice sluice;

  /** A fresh store, open for writing. */
  abstract Storage openStore() throws Exception;

  /** The arguments that name the store. */
  abstract List<String> storeArgs();

  /** Closes the application (a file store's write commands need its lock). */
  void closeApplication() {
    if (sluice != null) {
      sluice.close();
      storage.close();
      sluice = null;
    }
  }

  @BeforeEach
  void seed() throws Exception {
    storage = openStore();
    sluice = Sluice.builder().storage(storage).clock(Clock.systemUTC()).build();
    sluice.admin().createTopic("orders", TopicConfig.partitions(2));
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(Message.builder(i == 3 || i == 7 ? "bad-" + i : "order-" + i).key("k" + i).build());
    }
    sluice.producer().sendAll("orders", batch);
    ConsumerGroup g =
        sluice
            .consumer("billing")
            .subscribe("orders")
            .pollInterval(Duration.ofMillis(5))
            .retry(RetryPolicy.none())
            .handler(
                d -> {
                  if (d.payloadAsString().startsWith("bad")) {
                    throw new IllegalStateException("card declined for " + d.payloadAsString());
                  }
                })
            .start();
    await()
        .atMost(WAIT)
        .until(
            () ->
                sluice.admin().lag("billing", "orders") == 0
                    && sluice.admin().countDeadLetters("orders.dlq") == 2);
    g.close(Duration.ofSeconds(5));
  }

  @AfterEach
  void close() {
    closeApplication();
  }

  CliRun run(String... args) {
    List<String> all = new ArrayList<>(storeArgs());
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void topicsAsTableAndJson() {
    CliRun table = run("topics");
    assertThat(table.code()).as(table.toString()).isZero();
    assertThat(table.out()).contains("TOPIC", "orders", "orders.dlq");
    CliRun json = run("topics", "--json");
    assertThat(json.code()).as(json.toString()).isZero();
    JsonNode orders = json.json().get("topics").get(0);
    assertThat(orders.get("name").asString()).isEqualTo("orders");
    assertThat(orders.get("partitionCount").asInt()).isEqualTo(2);
    assertThat(orders.get("retainedMessages").asLong()).isEqualTo(10);
  }

  @Test
  void topicDescribeShowsPartitionsAndGroups() {
    CliRun r = run("topic", "describe", "orders");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Topic orders: 2 partitions", "PARTITION", "billing");
    JsonNode json = run("--json", "topic", "describe", "orders").json();
    assertThat(json.get("groups").get(0).get("group").asString()).isEqualTo("billing");
    assertThat(json.get("groups").get(0).get("lag").asLong()).isZero();
    CliRun missing = run("topic", "describe", "nope");
    assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("nope");
  }

  @Test
  void groupsAndLag() {
    CliRun groups = run("groups");
    assertThat(groups.code()).as(groups.toString()).isZero();
    assertThat(groups.out()).contains("billing", "orders").doesNotContain("sluice.dlq-admin");
    CliRun lag = run("lag", "billing");
    assertThat(lag.code()).as(lag.toString()).isZero();
    assertThat(lag.out()).contains("COMMITTED", "Total lag of billing: 0");
    JsonNode json = run("lag", "billing", "--topic", "orders", "--json").json();
    assertThat(json.get("topics").get(0).get("partitions")).hasSize(2);
    assertThat(run("lag", "nobody").code()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void tailPrintsTheLastMessagesAndFollowsNewOnes() throws Exception {
    CliRun last = run("tail", "orders", "-n", "1", "--json");
    assertThat(last.code()).as(last.toString()).isZero();
    assertThat(last.out().lines()).hasSize(2); // one per partition
    CliRun from = run("tail", "orders", "--from", "earliest", "--partition", "0");
    assertThat(from.out().lines()).allMatch(l -> l.startsWith("orders-0@"));

    CompletableFuture<CliRun> follow =
        CompletableFuture.supplyAsync(
            () -> run("tail", "orders", "-n", "0", "-f", "--max", "3", "--timeout", "20s"));
    // The follower starts at the end; whatever it saw when it began, these come after.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              sluice.producer().send("orders", Message.of("late"));
              assertThat(follow).isDone();
            });
    CliRun followed = follow.get();
    assertThat(followed.code()).as(followed.toString()).isZero();
    assertThat(followed.out().lines()).hasSize(3).allMatch(l -> l.contains("late"));
  }

  @Test
  void dlqListShowRedrivePurge() {
    CliRun list = run("dlq", "list", "orders.dlq");
    assertThat(list.code()).as(list.toString()).isZero();
    assertThat(list.out()).contains("0:0", "0:1", "billing", "2 pending in orders.dlq");
    JsonNode json = run("dlq", "list", "orders.dlq", "--grep", "bad-7", "--json").json();
    assertThat(json.get("pending").asLong()).isEqualTo(2);
    assertThat(json.get("entries")).hasSize(1);
    String id = json.get("entries").get(0).get("id").asString();

    CliRun show = run("dlq", "show", "orders.dlq", id);
    assertThat(show.code()).as(show.toString()).isZero();
    assertThat(show.out()).contains("card declined for bad-7", "sluice.dlq.reason: exhausted");
    assertThat(run("dlq", "show", "orders.dlq", "0:99").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run("dlq", "show", "orders.dlq", "x").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("dlq", "redrive", "orders.dlq").code())
        .as("no id, filter nor --all")
        .isEqualTo(ExitCodes.USAGE);
    CliRun dry = run("dlq", "purge", "orders.dlq", "--all", "--dry-run");
    assertThat(dry.out()).contains("would purge 2 entries");

    closeApplicationIfExclusive();
    CliRun redrive = run("dlq", "redrive", "orders.dlq", id);
    assertThat(redrive.code()).as(redrive.toString()).isZero();
    assertThat(redrive.out()).contains("Redriven 1 entry of orders.dlq");
    assertThat(run("dlq", "redrive", "orders.dlq", id).code()).isEqualTo(ExitCodes.NOT_FOUND);
    CliRun purge = run("dlq", "purge", "orders.dlq", "--all", "--json");
    assertThat(purge.json().get("purged").asLong()).isEqualTo(1);
    assertThat(run("dlq", "list", "orders.dlq").out()).contains("0 pending");
    String all = run("tail", "orders", "--from", "earliest").out();
    assertThat(all.split("bad-7", -1).length - 1)
        .as("the original and the redriven copy are in orders")
        .isEqualTo(2);
  }

  @Test
  void resetOffsetsWithDryRunThenForReal() {
    CliRun dry = run("reset-offsets", "billing", "--topic", "orders", "--to-earliest", "--dry-run");
    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(dry.out()).contains("Dry run, nothing changed");
    assertThat(run("lag", "billing", "--json").json().get("lag").asLong()).isZero();
    assertThat(run("reset-offsets", "billing", "--topic", "orders").code())
        .as("a target is required")
        .isEqualTo(ExitCodes.USAGE);

    closeApplicationIfExclusive();
    CliRun reset =
        run(
            "reset-offsets",
            "billing",
            "--topic",
            "orders",
            "-p",
            "0",
            "--to-offset",
            "1",
            "--json");
    assertThat(reset.code()).as(reset.toString()).isZero();
    JsonNode change = reset.json().get("changes").get(0);
    assertThat(change.get("partition").asInt()).isZero();
    assertThat(change.get("to").asLong()).isEqualTo(1);
    assertThat(run("lag", "billing", "--json").json().get("lag").asLong())
        .isEqualTo(change.get("from").asLong() - 1);
    assertThat(run("reset-offsets", "billing", "--topic", "orders", "--to-offset", "999").code())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void pauseAndResume() {
    closeApplicationIfExclusive();
    CliRun pause = run("pause", "billing", "--topic", "orders");
    assertThat(pause.code()).as(pause.toString()).isZero();
    assertThat(pause.out()).contains("Paused group billing on topic orders");
    assertThat(run("groups", "--json").json().get("groups").get(0).get("paused").asBoolean())
        .isTrue();
    assertThat(run("resume", "billing").code()).isZero();
    assertThat(run("groups", "--json").json().get("groups").get(0).get("paused").asBoolean())
        .isFalse();
  }

  @Test
  void uiServesTheDashboardReadOnlyUntilInterrupted() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(storeArgs());
    args.addAll(List.of("ui", "--read-only", "--port", "0"));
    AtomicInteger code = new AtomicInteger(-1);
    Thread server =
        Thread.ofPlatform()
            .start(
                () ->
                    code.set(
                        SluiceCli.execute(
                            new PrintWriter(out),
                            new PrintWriter(err),
                            args.toArray(String[]::new))));
    try {
      Pattern address = Pattern.compile("Sluice dashboard at (http://\\S+/) \\(read-only\\)");
      await().atMost(WAIT).until(() -> address.matcher(out.toString()).find() || !server.isAlive());
      Matcher m = address.matcher(out.toString());
      assertThat(m.find()).as("out: %s, err: %s", out, err).isTrue();
      URI base = URI.create(m.group(1));
      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> overview =
            http.send(
                HttpRequest.newBuilder(base.resolve("api/overview")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("\"orders\"").contains("\"billing\"");
        HttpResponse<String> page =
            http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
        HttpResponse<String> pause =
            http.send(
                HttpRequest.newBuilder(base.resolve("api/groups/billing/pause"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pause.statusCode()).as(pause.body()).isEqualTo(403);
      }
      assertThat(sluice.admin().isPaused("billing", null)).isFalse();
    } finally {
      server.interrupt();
      server.join(WAIT.toMillis());
    }
    assertThat(server.isAlive()).isFalse();
    assertThat(code.get()).as("err: %s", err).isZero();
  }

  /** On a file store, write commands need the application gone; a database is shared. */
  void closeApplicationIfExclusive() {}
}
