package io.sluice.spring.features;

import io.sluice.api.Delivery;
import io.sluice.spring.autoconfigure.SluiceCustomizer;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.listener.SluiceListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The application of the listener feature tests: transactional, batch and not-retryable listeners
 * over the JDBC store on the application's {@code DataSource}, writing to the table named by {@code
 * test.effects}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class FeaturesApplication {

  /** The wake-up listener polls this rarely: only a wake-up can bring it a message in time. */
  static final Duration SLOW_POLL = Duration.ofSeconds(60);

  /** Records what the listeners did. */
  public static class Listeners {
    final JdbcTemplate jdbc;
    final String table;
    final Map<String, Integer> calls = new ConcurrentHashMap<>();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final List<String> batched = new CopyOnWriteArrayList<>();
    final List<String> woken = new CopyOnWriteArrayList<>();

    final Ledger ledger;
    final SluiceTemplate template;

    Listeners(
        JdbcTemplate jdbc,
        @Value("${test.effects}") String table,
        Ledger ledger,
        SluiceTemplate template) {
      this.jdbc = jdbc;
      this.table = table;
      this.ledger = ledger;
      this.template = template;
    }

    /** Writes a row, then fails on the first attempt of "fail-once-*" and always on "fail-*". */
    @SluiceListener(
        id = "tx",
        topic = "tx-orders",
        group = "tx",
        transactional = "true",
        maxAttempts = "3",
        backoff = "10ms")
    void onOrder(String id, Delivery delivery) {
      calls.merge(id, 1, Integer::sum);
      jdbc.update("INSERT INTO " + table + " (id) VALUES (?)", id);
      ledger.book(id); // a @Transactional method: joins the listener's transaction
      template.send("tx-echo", id); // after it, still in the listener's transaction
      if (id.contains("fail-once") && delivery.attempt() == 1 || id.contains("fail-always")) {
        throw new IllegalStateException("failed after the write of " + id);
      }
    }

    @SluiceListener(
        id = "batch",
        topic = "batch-orders",
        group = "batch",
        batch = "true",
        maxBatchSize = "10",
        maxBatchWait = "100ms")
    void onBatch(List<String> ids) {
      batchSizes.add(ids.size());
      batched.addAll(ids);
    }

    @SluiceListener(
        id = "txbatch",
        topic = "txbatch-orders",
        group = "txbatch",
        batch = "true",
        transactional = "true",
        maxBatchSize = "20",
        maxBatchWait = "100ms",
        maxAttempts = "3",
        backoff = "10ms")
    void onTransactionalBatch(List<String> ids, List<Delivery> deliveries) {
      for (String id : ids) {
        jdbc.update("INSERT INTO " + table + " (id) VALUES (?)", id);
      }
      if (ids.size() > 1 && deliveries.get(0).attempt() == 1) {
        throw new IllegalStateException("the first batch fails after its writes");
      }
    }

    @SluiceListener(
        id = "strict",
        topic = "strict-orders",
        group = "strict",
        maxAttempts = "5",
        backoff = "10ms",
        notRetryable = IllegalArgumentException.class)
    void onStrict(String id) {
      calls.merge(id, 1, Integer::sum);
      throw new IllegalArgumentException("malformed order " + id);
    }

    @SluiceListener(id = "wake", topic = "wake-orders", group = "wake")
    void onWake(String id) {
      woken.add(id);
    }

    @SluiceListener(id = "idle", topic = "idle-orders", group = "idle", autoStartup = "false")
    void onIdle(String id) {}
  }

  /** A {@code @Transactional} service a transactional listener calls. */
  public static class Ledger {
    private final JdbcTemplate jdbc;
    private final String table;

    Ledger(JdbcTemplate jdbc, String table) {
      this.jdbc = jdbc;
      this.table = table;
    }

    /** Writes a ledger row; joins the caller's transaction (propagation REQUIRED). */
    @Transactional
    public void book(String id) {
      jdbc.update("INSERT INTO " + table + " (id) VALUES (?)", id + "-ledger");
    }
  }

  @Bean
  Ledger ledger(JdbcTemplate jdbc, @Value("${test.effects}") String table) {
    return new Ledger(jdbc, table);
  }

  @Bean
  Listeners listeners(
      JdbcTemplate jdbc,
      @Value("${test.effects}") String table,
      Ledger ledger,
      SluiceTemplate template) {
    return new Listeners(jdbc, table, ledger, template);
  }

  @Bean
  SluiceCustomizer slowWakeListener() {
    return new SluiceCustomizer() {
      @Override
      public void customizeListener(String id, io.sluice.consumer.ConsumerGroupBuilder builder) {
        if (id.equals("wake")) {
          builder.pollInterval(SLOW_POLL);
        }
      }
    };
  }
}
