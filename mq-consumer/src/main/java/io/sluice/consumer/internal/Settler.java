package io.sluice.consumer.internal;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.ExtendRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link Outcome}s: {@link #settle} is the one place where a delivery's end reaches the
 * store and the listener. It first wins the delivery's settle flag (a second settle gets {@link
 * Settled#ALREADY}) and stops tracking it, then acks (through the {@link AckBatcher}), releases
 * with a delay the store turns into a time on its own clock, or dead-letters. A store rejection
 * because the lease was lost is counted once through {@link ConsumerListener#onStaleAck}.
 */
final class Settler {
  private static final Logger LOG = LoggerFactory.getLogger(Settler.class);
  private static final int MAX_TRACKED_FAILURES = 10_000;

  /** What {@link #settle} did. */
  enum Settled {
    /** Applied by the store. */
    APPLIED,
    /** An ack queued to the batcher, which completes it; see {@link #awaitAck}. */
    PENDING,
    /** Someone settled the delivery first; nothing done. */
    ALREADY,
    /** The store rejected it: the lease was lost (counted once). */
    STALE
  }

  private final Storage storage;
  private final GroupConfig config;
  private final InstantSource clock;
  private final ConsumerListener listener;
  private final AckBatcher acks;
  private final DeadLetterer deadLetterer;
  private final ConcurrentHashMap<String, Instant> firstFailures = new ConcurrentHashMap<>();

  Settler(
      Storage storage,
      GroupConfig config,
      InstantSource clock,
      ConsumerListener listener,
      AckBatcher acks) {
    this(storage, config, clock, listener, acks, Observations.NONE);
  }

  /** A settler whose dead letters are observed (as sends) within their handler's observation. */
  Settler(
      Storage storage,
      GroupConfig config,
      InstantSource clock,
      ConsumerListener listener,
      AckBatcher acks,
      Observations observations) {
    this.storage = storage;
    this.config = config;
    this.clock = clock;
    this.listener = listener;
    this.acks = acks;
    this.deadLetterer = new DeadLetterer(storage, config.group(), observations);
  }

  /**
   * Settles {@code t} with {@code o}, unless someone did already. Store failures other than a lost
   * lease propagate (the delivery is then left to its lease expiry).
   */
  Settled settle(DeliveryTask t, Outcome o) {
    if (!t.trySettle()) {
      return Settled.ALREADY;
    }
    t.untrack();
    try {
      return switch (o) {
        case Outcome.Ack a -> queueAck(t, AckBatcher.ACK, a.waited());
        case Outcome.Skip s ->
            queueAck(t, s.duplicate() ? AckBatcher.DUPLICATE : AckBatcher.REDRIVE, false);
        case Outcome.Committed c -> {
          forget(t);
          listener.onAcked(t);
          yield Settled.APPLIED;
        }
        case Outcome.Retry r -> retry(t, r);
        case Outcome.Defer d -> {
          storage.release(new ReleaseRequest(config.group(), t.id(), d.delay(), false));
          listener.onDeferred(t, d.delay());
          yield Settled.APPLIED;
        }
        case Outcome.DeadLetter d -> deadLetter(t, d);
        case Outcome.Release r -> release(t);
        case Outcome.HandBack h -> handBack(t);
        case Outcome.Lost l -> stale(t);
      };
    } catch (StaleDeliveryException e) {
      return stale(t);
    }
  }

  /** The runtime's own settle: never throws; a failure is logged and left to the lease expiry. */
  void settleQuietly(DeliveryTask t, Outcome o) {
    try {
      settle(t, o);
    } catch (RuntimeException e) {
      LOG.warn("group {}: could not settle {}; its lease will run out", config.group(), t, e);
      listener.onError(config.group(), e);
    }
  }

  /**
   * A settle the handler asked for through its {@link io.sluice.api.Delivery}: waits for a queued
   * ack, and throws {@link StaleDeliveryException} when the delivery was settled already or its
   * lease was lost.
   */
  void settleForUser(DeliveryTask t, Outcome o) {
    Settled s = settle(t, o);
    if (s == Settled.PENDING) {
      s = awaitAck(t);
    }
    if (s == Settled.ALREADY) {
      throw new StaleDeliveryException(t.id(), "it was already settled");
    }
    if (s == Settled.STALE) {
      throw new StaleDeliveryException(t.id(), "its lease expired or was re-granted");
    }
  }

  private Settled awaitAck(DeliveryTask t) {
    return switch (t.awaitAck()) {
      case DeliveryTask.ACK_APPLIED -> Settled.APPLIED;
      case DeliveryTask.ACK_REJECTED -> Settled.STALE;
      default -> throw t.ackError();
    };
  }

  private Settled queueAck(DeliveryTask t, byte kind, boolean waited) {
    forget(t);
    t.ackKind = kind;
    acks.add(t, waited);
    return Settled.PENDING;
  }

  /** The ack batcher's answer for {@code t}: tells the listener, then a waiting manual ack. */
  void acked(DeliveryTask t, boolean applied, RuntimeException error) {
    if (error != null) {
      listener.onError(config.group(), error);
      t.ackCompleted(DeliveryTask.ACK_FAILED, error);
      return;
    }
    if (!applied) {
      stale(t);
      t.ackCompleted(DeliveryTask.ACK_REJECTED, null);
      return;
    }
    switch (t.ackKind) {
      case AckBatcher.DUPLICATE -> listener.onDuplicateSkipped(t);
      case AckBatcher.REDRIVE -> listener.onRedriveSkipped(t);
      default -> listener.onAcked(t);
    }
    t.ackCompleted(DeliveryTask.ACK_APPLIED, null);
  }

  private Settled retry(DeliveryTask t, Outcome.Retry r) {
    if (firstFailures.size() < MAX_TRACKED_FAILURES) {
      firstFailures.putIfAbsent(positionKey(t), clock.instant());
    }
    storage.release(ReleaseRequest.retry(config.group(), t.id(), r.delay()));
    listener.onRetried(t, r.delay(), r.error());
    return Settled.APPLIED;
  }

  private Settled deadLetter(DeliveryTask t, Outcome.DeadLetter d) {
    Instant now = clock.instant();
    Instant first = firstFailures.remove(positionKey(t));
    if (first == null) {
      first = t.attempt() > 1 && t.firstDeliveredAt() != null ? t.firstDeliveredAt() : now;
    }
    Optional<String> topic = config.deadLetterTopicFor(t.topic());
    if (topic.isPresent()) {
      deadLetterer.deadLetter(
          t,
          t.id(),
          topic.get(),
          new DeadLetterer.Failure(d.reason(), d.error(), first, now),
          t.observation());
    } else {
      BatchResult result = storage.ack(config.group(), List.of(Ack.of(t.id())));
      if (!result.rejected().isEmpty()) {
        return stale(t);
      }
    }
    listener.onDeadLettered(t, topic.orElse(null), d.reason(), d.error());
    return Settled.APPLIED;
  }

  /** Shutdown: back for immediate redelivery without counting the attempt; never throws. */
  private Settled release(DeliveryTask t) {
    try {
      storage.release(ReleaseRequest.unprocessed(config.group(), t.id()));
      listener.onReleased(t);
      return Settled.APPLIED;
    } catch (StaleDeliveryException e) {
      return stale(t);
    } catch (RuntimeException e) {
      listener.onError(config.group(), e);
      return Settled.APPLIED;
    }
  }

  /**
   * A delivery that never reached the handler: handed back without counting an attempt if the store
   * still holds its lease for this member, or left to the store's expiry if not. No listener hook:
   * it was never delivered.
   */
  private Settled handBack(DeliveryTask t) {
    try {
      storage.release(ReleaseRequest.unprocessed(config.group(), t.id()));
    } catch (StaleDeliveryException e) {
      // The store's lease ran out as well: it redelivers the message on its own.
    } catch (RuntimeException e) {
      listener.onError(config.group(), e);
    }
    return Settled.APPLIED;
  }

  private Settled stale(DeliveryTask t) {
    if (t.markLeaseLost()) {
      listener.onStaleAck(t);
    }
    return Settled.STALE;
  }

  /** Extends one lease on the handler's request. */
  void extend(DeliveryTask t, Duration extension) {
    if (t.isSettled()) {
      throw new StaleDeliveryException(t.id(), "it was already settled");
    }
    Instant now = clock.instant();
    BatchResult result =
        storage.extendLeases(new ExtendRequest(config.group(), List.of(t.id()), extension));
    if (!result.rejected().isEmpty()) {
      stale(t);
      throw new StaleDeliveryException(t.id(), "its lease expired or was re-granted");
    }
    t.extendedTo(now.plus(extension));
  }

  private void forget(DeliveryTask t) {
    if (!firstFailures.isEmpty()) {
      firstFailures.remove(positionKey(t));
    }
  }

  private static String positionKey(DeliveryTask t) {
    return t.topic() + '\n' + t.partition() + '\n' + t.offset();
  }
}
