package io.sluice.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.RetryPolicy;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spi.Storage;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * {@link SluiceEndpoint}'s write operations on a live file store, and its reads' cost: counting a
 * dead-letter topic's pending entries never reads the entries.
 */
class SluiceEndpointWriteOperationsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  final AtomicInteger reads = new AtomicInteger();
  final AtomicBoolean failing = new AtomicBoolean(true);
  Sluice sluice;
  SluiceAdmin admin;
  SluiceEndpoint endpoint;

  @BeforeEach
  void open() {
    FileStorage file = FileStorage.open(FileStorageConfig.builder(dir).build());
    Storage counting =
        (Storage)
            Proxy.newProxyInstance(
                Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("read")) {
                    reads.incrementAndGet();
                  }
                  try {
                    return method.invoke(file, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    sluice = Sluice.builder().storage(counting).closeStorage(false).build();
    admin = sluice.admin();
    admin.createTopic("orders", TopicConfig.partitions(2));
    admin.createTopic("orders.dlq", TopicConfig.partitions(1));
    endpoint = new SluiceEndpoint(admin, null);
    this.file = file;
  }

  FileStorage file;

  @AfterEach
  void close() {
    sluice.close();
    file.close();
  }

  void consume() {
    sluice
        .consumer("billing")
        .subscribe("orders")
        .pollInterval(Duration.ofMillis(50))
        .retry(RetryPolicy.none())
        .handler(
            d -> {
              if (failing.get() && d.message().payloadAsString().startsWith("bad")) {
                throw new IllegalStateException("declined " + d.message().key());
              }
            })
        .start();
  }

  void send(String payload, String key) {
    sluice.producer().send("orders", Message.builder(payload).key(key).build());
  }

  void deadLetter(int n) {
    consume();
    for (int i = 0; i < n; i++) {
      send("bad " + i, "k-" + i);
    }
    await().atMost(WAIT).until(() -> admin.countDeadLetters("orders.dlq") == n);
  }

  @Test
  void countingDeadLettersOnEveryGetReadsNoEntry() {
    deadLetter(30);
    reads.set(0);
    for (int i = 0; i < 5; i++) {
      assertThat(endpoint.topic("orders.dlq").pendingDeadLetters()).isEqualTo(30);
      assertThat(endpoint.overview().topics()).hasSize(2);
    }
    assertThat(reads).hasValue(0);
  }

  @Test
  void pauseAndResumeArePersistentAndShownInTheOverview() {
    consume();
    send("ok", "k");
    await().atMost(WAIT).until(() -> admin.lag("billing", "orders") == 0);
    var paused = endpoint.group("orders", "billing", "pause", null, null, null, null, null);
    assertThat(paused.paused()).isTrue();
    assertThat(admin.isPaused("billing", "orders")).isTrue();
    send("ok", "k");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(endpoint.topic("orders").groups())
                    .singleElement()
                    .satisfies(
                        g -> {
                          assertThat(g.paused()).isTrue();
                          assertThat(g.lag()).isEqualTo(1);
                        }));
    var resumed = endpoint.group("orders", "billing", "resume", null, null, null, null, null);
    assertThat(resumed.paused()).isFalse();
    await().atMost(WAIT).until(() -> admin.lag("billing", "orders") == 0);
  }

  @Test
  void resetOffsetsDryRunShowsTheChangeAndChangesNothing() {
    consume();
    for (int i = 0; i < 6; i++) {
      send("ok " + i, "k-" + i);
    }
    await().atMost(WAIT).until(() -> admin.lag("billing", "orders") == 0);
    endpoint.group("orders", "billing", "pause", null, null, null, null, null);
    var plan =
        endpoint.group("orders", "billing", "reset-offsets", "earliest", null, null, null, true);
    assertThat(plan.dryRun()).isTrue();
    assertThat(plan.changes()).hasSize(2);
    assertThat(plan.changes().stream().mapToLong(c -> -c.delta()).sum()).isEqualTo(6);
    assertThat(admin.lag("billing", "orders")).isZero();

    var done = endpoint.group("orders", "billing", "reset-offsets", "offset", 0L, null, 1, null);
    assertThat(done.dryRun()).isFalse();
    assertThat(done.changes())
        .singleElement()
        .satisfies(c -> assertThat(c.partition()).isEqualTo(1));
    assertThat(admin.lag("billing", "orders")).isEqualTo(-done.changes().get(0).delta());
  }

  @Test
  void redriveAndPurgeByFilterAndById() {
    deadLetter(3);
    failing.set(false);
    assertThat(endpoint.redrive("orders.dlq", "someone-else", null, null, null).redriven())
        .isZero();
    String id = admin.deadLetters("orders.dlq", 1).get(0).id();
    assertThat(endpoint.redrive("orders.dlq", null, null, null, id).redriven()).isEqualTo(1);
    assertThat(endpoint.purge("orders.dlq", null, "orders", "declined k-", null).purged())
        .isEqualTo(2);
    assertThat(admin.countDeadLetters("orders.dlq")).isZero();
    assertThat(endpoint.purge("orders.dlq", null, null, null, "0:0").purged()).isZero();
  }

  @Test
  void badInputIsABadRequestWithTheReason() {
    assertThatThrownBy(
            () -> endpoint.group("orders", "billing", "explode", null, null, null, null, null))
        .isInstanceOf(InvalidEndpointRequestException.class)
        .hasMessageContaining("action must be pause, resume or reset-offsets, found explode");
    assertThatThrownBy(
            () ->
                endpoint.group("orders", "billing", "reset-offsets", null, null, null, null, true))
        .isInstanceOf(InvalidEndpointRequestException.class)
        .hasMessageContaining("needs to");
    assertThatThrownBy(
            () ->
                endpoint.group(
                    "orders", "billing", "reset-offsets", "time", null, "noon", null, true))
        .isInstanceOf(InvalidEndpointRequestException.class)
        .hasMessageContaining("ISO-8601");
    assertThatThrownBy(
            () ->
                endpoint.group(
                    "orders", "billing", "reset-offsets", "offset", null, null, null, true))
        .isInstanceOf(InvalidEndpointRequestException.class)
        .hasMessageContaining("needs an offset");
    assertThatThrownBy(() -> endpoint.redrive("missing.dlq", null, null, null, null))
        .isInstanceOf(InvalidEndpointRequestException.class)
        .hasMessageContaining("missing.dlq");
    assertThatThrownBy(() -> endpoint.purge("orders.dlq", null, null, null, "zero"))
        .isInstanceOf(InvalidEndpointRequestException.class);
    assertThatThrownBy(
            () -> endpoint.group("orders", "bad group!", "pause", null, null, null, null, null))
        .isInstanceOf(InvalidEndpointRequestException.class);
  }
}
