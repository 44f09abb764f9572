package io.sluice.consumer.internal;

import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.Storage;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop of one member. Each round it takes permits for free places (at most {@code
 * concurrency + prefetch} deliveries are outstanding per member, so claimed-but-unstarted messages
 * never exceed {@code prefetch} beyond the running ones), claims up to that many messages (at most
 * {@code batchSize}) from the subscribed topics in turn, and hands each to {@code dispatch}. When a
 * full turn over the topics finds nothing, or the member is paused, it waits {@code pollInterval},
 * or less when the store reports an append to a subscribed topic ({@link
 * io.sluice.spi.Storage#watchAppends}; the member registers {@link #wake()} for it). A failing
 * claim is reported and retried after a growing pause (up to 2 s). While more than {@code max(1000,
 * 4 × (concurrency + prefetch))} acks wait for the store, it does not claim, so a store slower to
 * ack than to claim cannot make leases run out. Every {@code lagInterval} it reports lag per
 * partition.
 */
final class GroupRunner extends LoopService {
  private static final Logger LOG = LoggerFactory.getLogger(GroupRunner.class);

  private final Storage storage;
  private final GroupConfig config;
  private final ConsumerListener listener;
  private final Semaphore outstanding;
  private final BiConsumer<Lease, Instant> dispatch;
  private final String member;
  private final InstantSource clock;
  private final IntSupplier ackBacklog;
  private final int maxAckBacklog;
  private volatile boolean paused;
  private int nextTopic;
  private int failures;
  private long nextLagNanos = System.nanoTime();

  GroupRunner(
      Storage storage,
      GroupConfig config,
      ConsumerListener listener,
      Semaphore outstanding,
      String member,
      InstantSource clock,
      IntSupplier ackBacklog,
      BiConsumer<Lease, Instant> dispatch) {
    super("sluice-" + config.group() + "-claimer");
    this.storage = storage;
    this.config = config;
    this.listener = listener;
    this.outstanding = outstanding;
    this.member = member;
    this.dispatch = dispatch;
    this.clock = clock;
    this.ackBacklog = ackBacklog;
    this.maxAckBacklog = Math.max(1_000, 4 * (config.concurrency() + config.prefetch()));
  }

  void pause(boolean paused) {
    this.paused = paused;
    wake();
  }

  boolean isPaused() {
    return paused;
  }

  @Override
  protected void runOnce() throws InterruptedException {
    reportLagIfDue();
    long poll = config.pollInterval().toMillis();
    if (paused) {
      waitFor(poll);
      return;
    }
    if (ackBacklog.getAsInt() > maxAckBacklog) {
      waitFor(1); // the store is behind on acks: claiming more would only let leases run out
      return;
    }
    if (!outstanding.tryAcquire(Math.max(1, poll), TimeUnit.MILLISECONDS)) {
      return;
    }
    int permits = 1;
    while (permits < config.batchSize() && outstanding.tryAcquire()) {
      permits++;
    }
    int claimed = 0;
    try {
      claimed = claimRound(permits);
      failures = 0;
    } catch (RuntimeException e) {
      failures++;
      LOG.warn(
          "group {} member {}: claim failed ({} in a row)", config.group(), member, failures, e);
      listener.onError(config.group(), e);
      waitFor(Math.min(2_000, poll << Math.min(failures, 6)));
      return;
    } finally {
      outstanding.release(permits - claimed);
    }
    if (claimed == 0) {
      waitFor(poll);
    }
  }

  /** Tries each topic once, from where the last round stopped; returns how many were claimed. */
  private int claimRound(int permits) {
    List<String> topics = config.topics();
    for (int i = 0; i < topics.size() && !isClosed() && !paused; i++) {
      String topic = topics.get(nextTopic);
      Instant claimedAt = clock.instant();
      nextTopic = (nextTopic + 1) % topics.size();
      List<Lease> leases =
          storage.claim(
              new ClaimRequest(
                  config.group(),
                  topic,
                  permits,
                  config.lease(),
                  config.ordering(),
                  config.startPosition(),
                  member));
      if (!leases.isEmpty()) {
        for (Lease lease : leases) {
          dispatch.accept(lease, claimedAt);
        }
        return leases.size();
      }
    }
    return 0;
  }

  private void reportLagIfDue() {
    long now = System.nanoTime();
    if (now - nextLagNanos < 0) {
      return;
    }
    nextLagNanos = now + config.lagInterval().toNanos();
    for (String topic : config.topics()) {
      try {
        for (GroupPartition p : storage.groupState(config.group(), topic)) {
          listener.onLag(config.group(), topic, p.partition(), p.lag());
        }
      } catch (RuntimeException e) {
        listener.onError(config.group(), e);
      }
    }
  }
}
