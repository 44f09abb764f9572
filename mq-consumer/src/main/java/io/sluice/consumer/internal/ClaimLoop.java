package io.sluice.consumer.internal;

import io.sluice.api.internal.LoopService;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.Storage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop of one member. At most {@code concurrency + prefetch} deliveries are outstanding
 * per member (with a batch handler, {@code concurrency × maxBatchSize + prefetch}) (claimed and not
 * yet finished), so claimed-but-unstarted messages never exceed {@code prefetch} beyond the running
 * ones. Each round, once enough places are free (half the prefetch, at most {@code batchSize}, at
 * least 1: claims stay large under load), it claims up to that many messages (at most {@code
 * batchSize}) from the subscribed topics in turn, makes a {@link DeliveryTask} of each (leased
 * until claim time plus the lease, on the runtime's clock) and queues them in the {@link
 * Dispatcher}. When at least that threshold of handler slots is free and no claimed delivery waits
 * for one, it reserves them and claims only as many, asking the store to count their starts in the
 * claim ({@link ClaimRequest#start()}): they go straight to the handlers with no start mark of
 * their own, which on a database saves a round trip and a commit per claim (the latency of a
 * lightly loaded member); the prefetch is claimed by the next round, but only while there is a
 * backlog (the last claim came back full): a member that keeps up waits for handler slots instead,
 * so its deliveries never need a start mark of their own. When a full turn over the topics finds
 * nothing, or the member is paused, it waits {@code pollInterval}, or less when the store reports
 * an append to a subscribed topic ({@link Storage#watchAppends}; the member registers {@link
 * #wake()} for it). A failing claim is reported and retried after a growing pause (up to 2 s).
 * While more than {@code max(1000, 4 × (concurrency + prefetch))} acks wait for the store, it does
 * not claim, so a store slower to ack than to claim cannot make leases run out. Every {@code
 * lagInterval} it reports lag per partition.
 */
final class ClaimLoop extends LoopService {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimLoop.class);

  private final MemberContext member;
  private final GroupConfig config;
  private final ConsumerListener listener;
  private final InFlight inFlight;
  private final Dispatcher dispatcher;
  private final String memberName;
  private final IntSupplier ackBacklog;
  private final int maxAckBacklog;
  private final int threshold;
  private final AtomicInteger free;
  private final ReentrantLock round = new ReentrantLock();
  private volatile boolean paused;
  private volatile boolean slotWait;
  private boolean backlog = true;
  private int nextTopic;
  private int failures;
  private long nextLagNanos = System.nanoTime();

  ClaimLoop(
      MemberContext member,
      InFlight inFlight,
      Dispatcher dispatcher,
      String memberName,
      IntSupplier ackBacklog) {
    super("sluice-" + member.group() + "-claimer");
    this.member = member;
    this.config = member.config();
    this.listener = member.listener();
    this.inFlight = inFlight;
    this.dispatcher = dispatcher;
    this.memberName = memberName;
    this.ackBacklog = ackBacklog;
    this.maxAckBacklog = Math.max(1_000, 4 * (member.slots() + config.prefetch()));
    this.threshold = Math.max(1, Math.min(config.batchSize(), config.prefetch() / 2));
    this.free = new AtomicInteger(member.slots() + config.prefetch());
  }

  /** {@code n} deliveries left the member: as many places are free again. */
  void freed(int n) {
    int now = free.addAndGet(n);
    if (slotWait || (now >= threshold && now - n < threshold)) {
      wake();
    }
  }

  /**
   * Pauses or resumes claiming. Pausing returns once a claim under way has finished: its leases, if
   * any, are handed back unstarted, so no delivery claimed after the call began reaches a handler.
   */
  void pause(boolean paused) {
    this.paused = paused;
    wake();
    if (paused) {
      round.lock(); // wait out a claim under way
      round.unlock();
    }
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
    int places = Math.min(free.get(), config.batchSize());
    if (places < threshold) {
      waitFor(poll); // woken when enough deliveries finished
      return;
    }
    if (!backlog && dispatcher.startsInClaims(threshold)) {
      // The last claim took all there was: wait for handler slots and claim with their starts,
      // rather than prefetch deliveries that would each need a start mark of their own. The flag
      // is up before the look at the slots, so a delivery finishing in between still wakes us.
      slotWait = true;
      try {
        if (!dispatcher.hasRoom(threshold)) {
          waitFor(poll); // woken as deliveries finish
          return;
        }
      } finally {
        slotWait = false;
      }
    }
    free.addAndGet(-places);
    int claimed = 0;
    try {
      claimed = claimRound(places);
      failures = 0;
    } catch (RuntimeException e) {
      failures++;
      LOG.warn(
          "group {} member {}: claim failed ({} in a row)",
          config.group(),
          memberName,
          failures,
          e);
      listener.onError(config.group(), e);
      waitFor(Math.min(2_000, poll << Math.min(failures, 6)));
      return;
    } finally {
      free.addAndGet(places - claimed);
    }
    if (claimed == 0) {
      waitFor(poll);
    }
  }

  /** Tries each topic once, from where the last round stopped; returns how many were claimed. */
  private int claimRound(int places) {
    round.lock();
    try {
      return claimTopics(places);
    } finally {
      round.unlock();
    }
  }

  private int claimTopics(int places) {
    backlog = false;
    List<String> topics = config.topics();
    for (int i = 0; i < topics.size() && !isClosed() && !paused; i++) {
      String topic = topics.get(nextTopic);
      nextTopic = (nextTopic + 1) % topics.size();
      // Slots for a claim that counts their starts, so that its deliveries need no start mark of
      // their own (on a database, one commit less per claim): every free one up to places, when at
      // least threshold are free and none of the claimed deliveries waits for one; otherwise none,
      // and the claim takes places unstarted (the prefetch), marked as slots free up.
      int reserved = dispatcher.reserve(threshold, places);
      Instant claimedAt = member.clock().instant();
      List<Lease> leases;
      try {
        leases =
            member
                .storage()
                .claim(
                    new ClaimRequest(
                        config.group(),
                        topic,
                        reserved > 0 ? reserved : places,
                        config.lease(),
                        config.ordering(),
                        config.startPosition(),
                        memberName,
                        reserved > 0));
      } catch (RuntimeException e) {
        dispatcher.unreserve(reserved);
        throw e;
      }
      if (leases.isEmpty() || paused) {
        dispatcher.unreserve(reserved);
      }
      if (!leases.isEmpty() && paused) {
        handBack(leases); // paused while the claim was under way
        return 0;
      }
      if (!leases.isEmpty()) {
        backlog = leases.size() == (reserved > 0 ? reserved : places);
        dispatch(leases, claimedAt.plus(config.lease()), reserved);
        return leases.size();
      }
    }
    return 0;
  }

  private void handBack(List<Lease> leases) {
    for (Lease lease : leases) {
      try {
        member.storage().release(ReleaseRequest.unprocessed(config.group(), lease.id()));
      } catch (RuntimeException e) {
        listener.onError(config.group(), e); // its lease runs out instead
      }
    }
  }

  /** Hands the claimed deliveries to the dispatcher; {@code reserved}: their claim started them. */
  private void dispatch(List<Lease> leases, Instant expiresAt, int reserved) {
    Claimed claimed = new Claimed(inFlight);
    DeliveryTask[] tasks = new DeliveryTask[leases.size()];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = new DeliveryTask(member, leases.get(i), claimed, expiresAt);
    }
    claimed.track(tasks);
    if (reserved > 0) {
      dispatcher.submitStarted(tasks, reserved);
    } else if (!dispatcher.submit(tasks)) {
      for (DeliveryTask t : tasks) {
        member.settler().settleQuietly(t, Outcome.RELEASE);
      }
    }
  }

  private void reportLagIfDue() {
    long now = System.nanoTime();
    if (now - nextLagNanos < 0) {
      return;
    }
    nextLagNanos = now + config.lagInterval().toNanos();
    for (String topic : config.topics()) {
      try {
        for (GroupPartition p : member.storage().groupState(config.group(), topic)) {
          listener.onLag(config.group(), topic, p.partition(), p.lag());
        }
      } catch (RuntimeException e) {
        listener.onError(config.group(), e);
      }
    }
  }
}
