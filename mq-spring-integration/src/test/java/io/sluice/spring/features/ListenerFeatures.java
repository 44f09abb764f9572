package io.sluice.spring.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.error.TopicNotFoundException;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spring.actuate.SluiceHealthIndicator;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.features.FeaturesApplication.Listeners;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code @SluiceListener} features on the JDBC store, the same on every database: a
 * transactional listener's write and ack commit or roll back together, batch listeners, exceptions
 * that are not retried, listener states in health, and outbox sends that wake local listeners.
 */
@DirtiesContext
abstract class ListenerFeatures {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired SluiceTemplate template;
  @Autowired SluiceAdmin admin;
  @Autowired Listeners listeners;
  @Autowired JdbcTemplate jdbc;
  @Autowired TransactionTemplate transactions;
  @Autowired ListenerEndpointRegistry registry;
  @Autowired SluiceHealthIndicator health;

  abstract String table();

  /** The idle poll a listener gets when {@code sluice.listener.poll-interval} is not set. */
  abstract Duration defaultIdlePoll();

  @Test
  void theIdlePollDefaultFollowsTheStoreAndACustomizerWins() {
    assertThat(registry.group("tx").orElseThrow().config().pollInterval())
        .isEqualTo(defaultIdlePoll());
    assertThat(registry.group("wake").orElseThrow().config().pollInterval())
        .isEqualTo(FeaturesApplication.SLOW_POLL);
  }

  private List<String> rows(String prefix) {
    return jdbc.queryForList(
        "SELECT id FROM " + table() + " WHERE id LIKE ? ORDER BY id", String.class, prefix + "%");
  }

  private List<DeadLetter> deadLetters(String topic) {
    try {
      return admin.deadLetters(topic, 100);
    } catch (TopicNotFoundException e) {
      return List.of();
    }
  }

  @Test
  void aTransactionalListenersWriteCommitsWithTheAckOrRollsBackWithIt() {
    template.send("tx-orders", "tx-ok-1");
    template.send("tx-orders", "tx-fail-once-1");
    template.send("tx-orders", "tx-fail-always-1");
    await().atMost(WAIT).until(() -> admin.lag("tx", "tx-orders") == 0);
    // The first attempt of fail-once wrote its row and then threw: the row was rolled back with
    // the ack, so the retry could write it again (the primary key would refuse a second one).
    assertThat(listeners.calls).containsEntry("tx-ok-1", 1).containsEntry("tx-fail-once-1", 2);
    assertThat(listeners.calls).containsEntry("tx-fail-always-1", 3);
    assertThat(rows("tx-"))
        .containsExactly("tx-fail-once-1", "tx-fail-once-1-ledger", "tx-ok-1", "tx-ok-1-ledger");
    // The send after the joined @Transactional method was still in the listener's transaction:
    // only the two committed attempts left a message.
    assertThat(
            admin.describeTopic("tx-echo").partitions().stream()
                .mapToLong(io.sluice.consumer.admin.PartitionView::endOffset)
                .sum())
        .isEqualTo(2);
    List<DeadLetter> dead = deadLetters("tx-orders.dlq");
    assertThat(dead).singleElement().satisfies(d -> assertThat(d.reason()).contains("exhausted"));
  }

  @Test
  void aBatchListenerGetsListsOfAtMostItsSize() {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 35; i++) {
      sent.add("b-" + i);
    }
    template.sendAll(
        "batch-orders", sent.stream().map(id -> template.toMessage(null, id)).toList());
    await().atMost(WAIT).until(() -> admin.lag("batch", "batch-orders") == 0);
    assertThat(listeners.batched).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(listeners.batchSizes).allSatisfy(s -> assertThat(s).isBetween(1, 10));
    assertThat(listeners.batchSizes).anySatisfy(s -> assertThat(s).isGreaterThan(1));
  }

  @Test
  void aTransactionalBatchCommitsItsWritesWithItsAcksOrNone() {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add(String.format("txb-%02d", i));
    }
    template.sendAll(
        "txbatch-orders", sent.stream().map(id -> template.toMessage(null, id)).toList());
    await().atMost(WAIT).until(() -> admin.lag("txbatch", "txbatch-orders") == 0);
    // Every batch of several failed once after its writes and was retried one by one: each row
    // is there once (a row kept from a failed batch would make its retry fail on the key).
    assertThat(rows("txb-")).containsExactlyElementsOf(sent);
    assertThat(deadLetters("txbatch-orders.dlq")).isEmpty();
  }

  @Test
  void aNotRetryableExceptionDeadLettersAtOnce() {
    template.send("strict-orders", "s-1");
    await().atMost(WAIT).until(() -> admin.lag("strict", "strict-orders") == 0);
    assertThat(listeners.calls).containsEntry("s-1", 1);
    assertThat(deadLetters("strict-orders.dlq"))
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("not-retryable"));
  }

  @Test
  void healthShowsEachListenersState() {
    registry.pause("batch");
    try {
      Health h = health.health();
      assertThat(h.getStatus()).isEqualTo(Status.UP);
      @SuppressWarnings("unchecked")
      Map<String, String> states = (Map<String, String>) h.getDetails().get("listeners");
      assertThat(states)
          .containsEntry("tx", "RUNNING")
          .containsEntry("batch", "PAUSED")
          .containsEntry("idle", "STOPPED");
    } finally {
      registry.resume("batch");
    }
  }

  @Test
  void anOutboxSendWakesTheLocalListenerWhenItsTransactionCommits() {
    await().pollDelay(Duration.ofMillis(300)).until(() -> true); // the listener is idle now
    long start = System.nanoTime();
    transactions.executeWithoutResult(
        status -> {
          jdbc.update("INSERT INTO " + table() + " (id) VALUES (?)", "wake-1");
          template.send("wake-orders", "wake-1");
        });
    // The listener polls once a minute: only the wake-up after the commit brings it this soon.
    await().atMost(Duration.ofSeconds(10)).until(() -> listeners.woken.contains("wake-1"));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(FeaturesApplication.SLOW_POLL.dividedBy(4));
  }
}
