package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StartRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crashes: what a dead member held comes back; only a message whose handler ran and never reported
 * back uses up attempts.
 */
abstract class CrashCases extends ConsumerCase {
  /**
   * Process deaths per crash-loop test; the soak ({@code benchmarks/soak.sh}, docs/soak.md) runs
   * hundreds.
   */
  static final int CRASH_ROUNDS = 10;

  CrashCases(ConsumerContract contract) {
    super(contract);
  }

  @Test
  void messageOfACrashedMemberIsRedeliveredAfterItsLease() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    List<Lease> crashed =
        storage().claim(ClaimRequest.of("billing", "orders", 10, Duration.ofSeconds(30)));
    assertThat(crashed).hasSize(1);
    started("billing", crashed); // its handler was running when it died
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders").handler(d -> attempts.add(d.attempt())).start();
    await().during(Duration.ofMillis(100)).atMost(WAIT).until(attempts::isEmpty);
    clock().advance(Duration.ofSeconds(31));
    await().atMost(WAIT).until(() -> attempts.size() == 1);
    assertThat(attempts).containsExactly(2);
  }

  /**
   * The consumer process is killed mid-handler {@value #CRASH_ROUNDS} times in a row (a child JVM
   * killed with SIGKILL, or for a store that lives in this process, a lease whose start was marked
   * and never settled): each run counted its start durably, so a healthy member then sees the
   * message as attempt {@code CRASH_ROUNDS + 1}.
   */
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS) // CRASH_ROUNDS child JVMs on a loaded machine
  void consumerProcessKilledMidHandlerIsRedelivered() throws Exception {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    List<String> args = crashingConsumerArgs();
    int maxAttempts = CRASH_ROUNDS + 1;
    for (int round = 0; round < CRASH_ROUNDS; round++) {
      if (args.isEmpty()) {
        List<Lease> abandoned =
            storage().claim(ClaimRequest.of("billing", "orders", 1, Duration.ofSeconds(30)));
        assertThat(abandoned).as("round %d", round).hasSize(1);
        started("billing", abandoned);
        assertThat(storage().claim(ClaimRequest.of("billing", "orders", 1, Duration.ofSeconds(1))))
            .as("the dead member's lease still holds the message")
            .isEmpty();
      } else {
        if (exclusiveStore()) {
          contract().closeForChild();
        }
        runAndKillChild(args, maxAttempts);
        if (exclusiveStore()) {
          contract().reopen(clock());
        }
      }
      clock().advance(Duration.ofSeconds(31)); // the dead member's lease runs out
    }
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .retry(RetryPolicy.maxAttempts(maxAttempts))
        .handler(d -> attempts.add(d.attempt()))
        .start();
    await().atMost(WAIT).until(() -> attempts.size() == 1);
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    // Each start was counted before the handler ran, durably against the crash of its process.
    assertThat(attempts).containsExactly(CRASH_ROUNDS + 1);
  }

  private void started(String group, List<Lease> leases) {
    List<DeliveryId> ids = leases.stream().map(Lease::id).toList();
    assertThat(storage().markStarted(new StartRequest(group, ids)).rejected()).isEmpty();
  }

  /** Runs a crashing consumer, kills it once its handler started; returns the offset it handled. */
  private long runAndKillChild(List<String> storeArgs, int maxAttempts) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashingConsumer.class.getName());
    command.addAll(storeArgs);
    command.add(clock().instant().toString());
    command.add(Integer.toString(maxAttempts));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      StringBuilder seen = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("HANDLING")) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("child consumer output:\n%s", seen).startsWith("HANDLING ");
      child.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      return Long.parseLong(line.substring("HANDLING ".length()));
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aMessageWhoseLastAttemptNeverReportedBackIsDeadLetteredWithoutRunningTheHandler() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("kills its consumer"));
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    // Manual ack, never settled: each lease runs out as if the consumer had died mid-message.
    group("billing", "orders")
        .manualAck()
        .lease(Duration.ofSeconds(1))
        .retry(RetryPolicy.maxAttempts(2).backoff(NOW))
        .handler(d -> attempts.add(d.attempt()))
        .start();
    await().atMost(WAIT).until(() -> attempts.size() == 1);
    clock().advance(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> attempts.size() == 2);
    clock().advance(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> sluice().admin().countDeadLetters("orders.dlq") == 1);
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(attempts).as("the handler never sees a third delivery").containsExactly(1, 2);
    DeadLetter dl = sluice().admin().deadLetters("orders.dlq", 10).get(0);
    assertThat(dl.reason()).isEqualTo("abandoned");
    assertThat(dl.attempts()).isEqualTo(3);
    assertThat(dl.errorClass()).isNull();
    assertThat(dl.message().payloadAsString()).isEqualTo("kills its consumer");
    await().atMost(WAIT).until(() -> stats().deadLettered.get() >= 1); // told after the store
    assertThat(stats().deadLettered.get()).isEqualTo(1);
  }

  /**
   * RELIABILITY F19: a message that hangs its consumer, which is killed again and again, is
   * dead-lettered as abandoned once its attempts are used up; the messages the dead members had
   * prefetched but never started come back with their attempt number unchanged and are handled.
   * Each message's final attempt number is one more than the crash rounds that started it.
   */
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS) // CRASH_ROUNDS child JVMs on a loaded machine
  void aCrashLoopDeadLettersOnlyTheMessagesWhoseHandlerRan() throws Exception {
    topic("orders", 1);
    produce("orders", 10);
    // Which message a dying member starts depends on which leases ran out first (a member that
    // dies before it prefetched leaves the older lease of another message): count them.
    Map<Long, Integer> handled = new ConcurrentHashMap<>();
    for (int crash = 0; crash < CRASH_ROUNDS; crash++) {
      handled.merge(crashWhileHandlingTheFirstMessage(CRASH_ROUNDS + 1), 1, Integer::sum);
      clock().advance(Duration.ofSeconds(31)); // the dead member's leases run out
    }
    int maxAttempts = handled.values().stream().max(Integer::compare).orElseThrow();
    Map<Long, List<Integer>> seen = new ConcurrentHashMap<>();
    group("billing", "orders")
        .concurrency(1)
        .retry(RetryPolicy.maxAttempts(maxAttempts).backoff(NOW))
        .handler(
            d ->
                seen.computeIfAbsent(d.offset(), k -> new CopyOnWriteArrayList<>())
                    .add(d.attempt()))
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    List<Long> usedUp =
        handled.entrySet().stream()
            .filter(e -> e.getValue() == maxAttempts)
            .map(Map.Entry::getKey)
            .toList();
    assertThat(sluice().admin().deadLetters("orders.dlq", 10))
        .as("handled in crash rounds: %s", handled)
        .allSatisfy(dl -> assertThat(dl.reason()).isEqualTo("abandoned"))
        .extracting(dl -> dl.message().payloadAsString())
        .containsExactlyInAnyOrderElementsOf(usedUp.stream().map(o -> "m-" + o).toList());
    assertThat(seen.keySet()).doesNotContainAnyElementsOf(usedUp).hasSize(10 - usedUp.size());
    seen.forEach(
        (offset, attempts) ->
            assertThat(attempts)
                .as("m-%d, whose handler ran in %d crash rounds", offset, handled.get(offset))
                .containsExactly(handled.getOrDefault(offset, 0) + 1));
  }

  /**
   * One member with concurrency 1 and the default prefetch starts handling a message, hangs, and
   * dies: a child process killed with SIGKILL, or (for a store that lives in this process) a member
   * cut off from the store, so that nothing it holds is released. Returns the offset it handled.
   */
  private long crashWhileHandlingTheFirstMessage(int maxAttempts) throws Exception {
    List<String> args = crashingConsumerArgs();
    if (!args.isEmpty()) {
      if (exclusiveStore()) {
        contract().closeForChild();
      }
      long offset = runAndKillChild(args, maxAttempts);
      if (exclusiveStore()) {
        contract().reopen(clock());
      }
      return offset;
    }
    RecordingStorage doomed = new RecordingStorage(storage().delegate);
    CountDownLatch handling = new CountDownLatch(1);
    long[] offset = new long[1];
    try (Sluice member = Sluice.builder().storage(doomed).clock(clock()).build()) {
      member
          .consumer("billing")
          .subscribe("orders")
          .concurrency(1)
          .pollInterval(Duration.ofMillis(5))
          .shutdownTimeout(Duration.ZERO)
          .retry(RetryPolicy.maxAttempts(maxAttempts))
          .handler(
              d -> {
                offset[0] = d.offset();
                handling.countDown();
                new CountDownLatch(1).await();
              })
          .start();
      assertThat(handling.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      doomed.sever();
    }
    return offset[0];
  }

  /**
   * With free handler slots for what it claims, a member has the claim count the starts (one store
   * call, on a database one commit): the attempt is counted before the handler runs, and nothing
   * marks it again.
   */
  @Test
  void aClaimWithASlotForEveryDeliveryCountsTheirStartsItself() {
    topic("orders", 1);
    produce("orders", 3);
    List<Integer> countedWhenStarting = new CopyOnWriteArrayList<>();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .concurrency(4)
        .handler(
            d -> {
              countedWhenStarting.add(storage().claimedStarted.get());
              attempts.add(d.attempt());
            })
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(attempts).containsExactly(1, 1, 1);
    assertThat(countedWhenStarting).allSatisfy(n -> assertThat(n).isPositive());
    assertThat(storage().claimedStarted.get()).isEqualTo(3);
    assertThat(storage().startedDeliveries.get()).as("marked again").isZero();
  }

  /**
   * A member that keeps up (its last claim took all there was) does not prefetch while its handler
   * slots are busy: it waits for slots and claims with their starts, so no delivery needs a start
   * mark of its own.
   */
  @Test
  void aMemberThatKeepsUpWaitsForSlotsInsteadOfPrefetching() throws Exception {
    topic("orders", 1);
    produce("orders", 10);
    CountDownLatch go = new CountDownLatch(1);
    group("billing", "orders").concurrency(16).handler(d -> go.await()).start();
    await().atMost(WAIT).until(() -> storage().claimed.get() == 10);
    produce("orders", 5); // 10 of 16 slots busy: fewer free than half the prefetch
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> storage().claimed.get() == 10);
    go.countDown();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(storage().claimedStarted.get()).isEqualTo(15);
    assertThat(storage().startedDeliveries.get()).as("marked after their claim").isZero();
  }

  /**
   * Attempts are marked before a handler starts, and only for deliveries with a free handler slot:
   * a prefetched delivery waiting for one uses up no attempt.
   */
  @Test
  void onlyDeliveriesWhoseHandlerStartsAreMarkedStartedAndAlwaysBeforeTheHandlerRuns() {
    topic("orders", 1);
    produce("orders", 6);
    CountDownLatch go = new CountDownLatch(1);
    List<Integer> markedWhenStarting = new CopyOnWriteArrayList<>();
    group("billing", "orders")
        .concurrency(1)
        .prefetch(5)
        .handler(
            d -> {
              markedWhenStarting.add(storage().startedDeliveries.get());
              go.await();
            })
        .start();
    await().atMost(WAIT).until(() -> markedWhenStarting.size() == 1);
    await().atMost(WAIT).until(() -> storage().claimed.get() == 6);
    await()
        .during(Duration.ofMillis(200))
        .atMost(WAIT)
        .until(() -> storage().startedDeliveries.get() == 1);
    go.countDown();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(markedWhenStarting).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(storage().startedDeliveries.get()).isEqualTo(6);
  }

  /** A delivery whose start the store rejects (its lease is gone) never reaches the handler. */
  @Test
  void aDeliveryWhoseStartTheStoreRejectsNeverRuns() {
    topic("orders", 1);
    sluice().producer().send("orders", Message.of("x"));
    AtomicBoolean expired = new AtomicBoolean();
    storage().beforeStart =
        request -> {
          if (expired.compareAndSet(false, true)) {
            clock().advance(Duration.ofSeconds(31)); // the store's lease runs out first
          }
        };
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    // One slot and a prefetch of 4: fewer slots are ever free than half the prefetch, so no claim
    // counts starts itself and the delivery goes through markStarted.
    group("billing", "orders")
        .concurrency(1)
        .prefetch(4)
        .handler(d -> attempts.add(d.attempt()))
        .start();
    await().atMost(WAIT).until(() -> lag("billing", "orders") == 0);
    assertThat(storage().claimedStarted.get()).isZero();
    assertThat(expired).isTrue();
    assertThat(attempts).as("only the redelivery ran, as a first attempt").containsExactly(1);
    assertThat(stats().delivered.get()).isEqualTo(1);
    assertThat(stats().stale.get()).isZero();
  }
}
