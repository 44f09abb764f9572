package io.sluice.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.sluice.Sluice;
import io.sluice.api.Backoff;
import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.RetryPolicy;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.DeadLetterFilter;
import io.sluice.consumer.admin.OffsetChange;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of the top-level README.md, compiled and run. Each snippet sits between {@code
 * tag::name[]} and {@code end::name[]}; the README shows it with the imports it needs (this file's
 * imports). Keep the two in step: change one, change the other.
 */
class ReadmeExamplesTest {
  @TempDir Path dir;

  private final Set<String> paid = ConcurrentHashMap.newKeySet();

  private void pay(String order) {
    if (order.startsWith("bad")) {
      throw new IllegalArgumentException("malformed order: " + order);
    }
    paid.add(order);
  }

  @Test
  void quickStartOnTheFileStore() {
    Path queueData = dir.resolve("queue-data"); // the README uses Path.of("queue-data")
    ConsumerGroup running;
    // tag::quick-start[]
    try (FileStorage storage = FileStorage.open(FileStorageConfig.builder(queueData).build());
        Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(4));
      Receipt r =
          sluice
              .producer()
              .send("orders", Message.builder("o-1 paid").key("c-7").idempotencyKey("o-1").build());
      ConsumerGroup g =
          sluice
              .consumer("billing")
              .subscribe("orders")
              .concurrency(8)
              .ordering(Ordering.KEY_ORDERED)
              .retry(
                  RetryPolicy.maxAttempts(5)
                      .backoff(Backoff.DEFAULT)
                      .notRetryable(IllegalArgumentException.class))
              .deadLetterTopic("orders.dlq") // the default is "<topic>.dlq"
              .handler(delivery -> pay(delivery.payloadAsString())) // return = ack, throw = retry
              .start();
      // ... the application runs; closing Sluice stops the group, then the store closes
      // end::quick-start[]
      running = g;
      assertThat(r.partition()).isBetween(0, 3);
      assertThat(r.offset()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> paid.contains("o-1 paid"));
      assertThat(g.isRunning()).isTrue();
    }
    assertThat(running.isRunning()).isFalse();
  }

  @Test
  void manualAck() {
    try (Sluice sluice = Sluice.builder().storage(fileStore("manual")).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(1));
      sluice.producer().send("orders", Message.of("o-2 paid"));
      // tag::manual-ack[]
      sluice
          .consumer("shipping")
          .subscribe("orders")
          .manualAck()
          .handler(
              delivery -> {
                if (!warehouse.isOpen()) {
                  delivery.retryLater(Duration.ofMillis(200)); // not a failure: no attempt used
                } else {
                  ship(delivery.payloadAsString());
                  delivery.ack();
                }
              })
          .start();
      // end::manual-ack[]
      await().atMost(Duration.ofSeconds(10)).until(() -> shipped.contains("o-2 paid"));
      assertThat(warehouse.looks.get()).isEqualTo(2);
    }
  }

  private final Set<String> shipped = ConcurrentHashMap.newKeySet();

  /** Closed at the first look, open after. */
  private final Warehouse warehouse = new Warehouse();

  private static final class Warehouse {
    private final java.util.concurrent.atomic.AtomicInteger looks =
        new java.util.concurrent.atomic.AtomicInteger();

    boolean isOpen() {
      return looks.incrementAndGet() > 1;
    }
  }

  private void ship(String order) {
    shipped.add(order);
  }

  private FileStorage fileStore(String name) {
    return FileStorage.open(FileStorageConfig.builder(dir.resolve(name)).build());
  }

  @Test
  void aMessage() {
    // tag::message[]
    Message m =
        Message.builder("{\"order\":42,\"amount\":\"19.90\"}")
            .key("customer-7") // same key -> same partition, in order
            .header("content-type", "application/json")
            .idempotencyKey("order-42") // a resend within the window is a no-op
            .deliverAt(Instant.now().plusSeconds(30)) // delayed delivery
            .build();
    // end::message[]
    assertThat(m.key()).isEqualTo("customer-7");
    assertThat(m.idempotencyKey()).isEqualTo("order-42");
  }

  @Test
  void topicConfigAndBackoff() {
    // tag::topic-config[]
    TopicConfig orders =
        TopicConfig.partitions(4)
            .withRetention(Duration.ofDays(7))
            .withDedupeWindow(Duration.ofHours(24));
    // end::topic-config[]
    assertThat(orders.partitions()).isEqualTo(4);
    // tag::backoff[]
    Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2);
    Duration third = backoff.baseDelay(3); // 4 s; with jitter 0.2 the delay is in [3.2 s, 4 s]
    // end::backoff[]
    assertThat(third).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void durability() {
    // tag::file-config[]
    FileStorageConfig config =
        FileStorageConfig.builder(dir.resolve("queue-data"))
            .durability(Durability.interval(Duration.ofMillis(100))) // default Durability.SYNC
            .segmentBytes(16 << 20) // default 64 MiB
            .stateJournalBytes(4 << 20) // default 16 MiB
            .build();
    // end::file-config[]
    try (FileStorage storage = FileStorage.open(config)) {
      assertThat(storage.health().healthy()).isTrue();
    }
  }

  @Test
  void deadLettersAndRedrive() {
    try (Sluice sluice = Sluice.builder().storage(fileStore("dlq")).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(1));
      sluice.producer().send("orders", Message.of("bad order"));
      sluice
          .consumer("billing")
          .subscribe("orders")
          .retry(RetryPolicy.maxAttempts(3).notRetryable(IllegalArgumentException.class))
          .handler(d -> pay(d.payloadAsString()))
          .start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.admin().countDeadLetters("orders.dlq") == 1);
      // tag::dead-letters[]
      for (DeadLetter d : sluice.admin().deadLetters("orders.dlq", 100)) {
        System.out.printf(
            "%s-%d@%d failed in %s after %d attempts: %s%n",
            d.originalTopic(),
            d.originalPartition(),
            d.originalOffset(),
            d.group(),
            d.attempts(),
            d.errorMessage());
      }
      int moved = sluice.admin().redrive("orders.dlq", d -> "billing".equals(d.group()));
      // end::dead-letters[]
      assertThat(moved).isEqualTo(1);
    }
  }

  @Test
  void jdbcStoreAndTransactionalSend() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:readme_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    DataSource dataSource = h2;
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40))");
    }
    // tag::jdbc[]
    try (JdbcStorage storage =
            JdbcStorage.create(
                dataSource, // the application's pool; Sluice never closes it
                JdbcStorageConfig.builder().schema("sluice").build());
        Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(4));
      // The transactional outbox: the row and the message commit, or roll back, together.
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO orders VALUES (42, 'customer-7')");
        }
        storage.transactionalSend().send(c, "orders", Message.of("order 42 placed"));
        c.commit();
      }
      // end::jdbc[]
      assertThat(sluice.admin().describeTopic("orders").partitions())
          .extracting(p -> p.endOffset())
          .contains(1L);
      assertThat(List.of(storage.health().detail())).allMatch(d -> d.contains("jdbc:h2:mem"));
    }
  }

  @Test
  void exactlyOnceBatches() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:readme_batches_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    DataSource dataSource = h2;
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE invoices (order_text VARCHAR(100) PRIMARY KEY)");
    }
    try (JdbcStorage storage =
            JdbcStorage.create(dataSource, JdbcStorageConfig.builder().schema("sluice").build());
        Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(4));
      // tag::batches[]
      sluice
          .consumer("invoicing")
          .subscribe("orders")
          .maxBatchSize(200) // up to 200 deliveries per call
          .transactionalBatchHandler(
              (batch, tx) -> {
                Connection c = tx.unwrap(Connection.class).orElseThrow(); // JDBC stores only
                try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO invoices VALUES (?)")) {
                  for (Delivery d : batch) {
                    insert.setString(1, d.payloadAsString());
                    insert.addBatch();
                  }
                  insert.executeBatch(); // commits with the batch's acks, or rolls back with them
                }
              })
          .start();
      // end::batches[]
      for (int i = 0; i < 50; i++) {
        sluice.producer().send("orders", Message.of("order-" + i));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> count(dataSource, "invoices") == 50);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.admin().lag("invoicing", "orders") == 0);
    }
  }

  private static long count(DataSource dataSource, String table) throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void operations() {
    try (FileStorage storage = FileStorage.open(FileStorageConfig.builder(dir).build());
        Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(2));
      for (int i = 0; i < 6; i++) {
        sluice.producer().send("orders", Message.of(i == 2 ? "bad-" + i : "order-" + i));
      }
      ConsumerGroup billing =
          sluice
              .consumer("billing")
              .subscribe("orders")
              .retry(RetryPolicy.maxAttempts(1))
              .handler(d -> pay(d.payloadAsString()))
              .start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.admin().countDeadLetters("orders.dlq") == 1);
      billing.close();
      // tag::operations[]
      SluiceAdmin admin = sluice.admin();
      // A dry run shows what a reset would change, per partition (from, to); then do it.
      List<OffsetChange> plan =
          admin.planResetOffsets(
              "billing", "orders", SluiceAdmin.ALL_PARTITIONS, Position.EARLIEST);
      admin.resetOffsets("billing", "orders", SluiceAdmin.ALL_PARTITIONS, Position.EARLIEST);
      // Stored: every member in every process stops claiming within one poll, until resumed.
      admin.pause("billing", "orders");
      admin.resume("billing", "orders");
      // Dead letters by filter, one by id.
      List<DeadLetter> malformed =
          admin.deadLetters(
              "orders.dlq", DeadLetterFilter.ALL.withGroup("billing").withText("malformed"), 100);
      admin.purgeById("orders.dlq", malformed.get(0).id());
      // end::operations[]
      assertThat(plan).extracting(OffsetChange::to).containsOnly(0L);
      assertThat(plan.stream().mapToLong(OffsetChange::from).sum()).isEqualTo(6);
      assertThat(admin.lag("billing", "orders")).isEqualTo(6);
      assertThat(admin.countDeadLetters("orders.dlq")).isZero();
    }
  }

  @Test
  void observations() {
    Queue<String> started = new ConcurrentLinkedQueue<>();
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }

              @Override
              public void onStart(Observation.Context context) {
                started.add(context.getName());
              }
            });
    try (FileStorage storage = FileStorage.open(FileStorageConfig.builder(dir).build());
        // tag::observation[]
        Sluice sluice = Sluice.builder().storage(storage).observationRegistry(registry).build()
        // end::observation[]
        ) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(1));
      sluice.producer().send("orders", Message.of("traced"));
      sluice.consumer("billing").subscribe("orders").handler(d -> {}).start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> started.containsAll(List.of("sluice.send", "sluice.process")));
    }
  }
}
