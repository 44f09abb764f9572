package io.sluice.consumer.internal;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.TransactionalHandler;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Settles deliveries: ack, retry with backoff, defer, dead-letter, release at shutdown. Each
 * operation first wins the delivery's settle flag; a second settle gets {@link
 * StaleDeliveryException}, as does one the store rejects because the lease was lost (counted once
 * through {@link ConsumerListener#onStaleAck}). Calls from a handler ({@code fromUser}) rethrow the
 * stale exception; the runtime's own calls only count it.
 */
final class Settler {
  private static final int MAX_TRACKED_FAILURES = 10_000;

  private final Storage storage;
  private final GroupConfig config;
  private final InstantSource clock;
  private final ConsumerListener listener;
  private final AckBatcher acks;
  private final DeadLetterer deadLetterer;
  private final Set<InFlight> tracked;
  private final ConcurrentHashMap<String, Instant> firstFailures = new ConcurrentHashMap<>();

  Settler(
      Storage storage,
      GroupConfig config,
      InstantSource clock,
      ConsumerListener listener,
      AckBatcher acks,
      Set<InFlight> tracked) {
    this.storage = storage;
    this.config = config;
    this.clock = clock;
    this.listener = listener;
    this.acks = acks;
    this.deadLetterer = new DeadLetterer(storage, config.group());
    this.tracked = tracked;
  }

  private void claim(InFlight d) {
    if (!d.trySettle()) {
      throw new StaleDeliveryException(d.id(), "it was already settled");
    }
    tracked.remove(d);
  }

  private void stale(InFlight d, StaleDeliveryException e, boolean fromUser) {
    if (d.markLeaseLost()) {
      listener.onStaleAck(d);
    }
    if (fromUser) {
      throw e;
    }
  }

  /** Acks (recording the processed key); false if the store rejected it as stale. */
  void ack(InFlight d, boolean fromUser) {
    claim(d);
    forget(d);
    Ack ack = new Ack(d.id(), DerivedKeys.processedKey(d.message()));
    boolean applied;
    try {
      applied = acks.ack(ack).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    if (applied) {
      listener.onAcked(d);
    } else {
      stale(d, new StaleDeliveryException(d.id(), "its lease expired or was re-granted"), fromUser);
    }
  }

  /**
   * Auto ack after a handler returned: queues the ack and returns at once; the future completes
   * (never exceptionally) once the store applied or rejected it, after the listener was told.
   */
  CompletableFuture<Void> ackAsync(InFlight d) {
    claim(d);
    forget(d);
    return acks.ack(new Ack(d.id(), DerivedKeys.processedKey(d.message())))
        .handle(
            (applied, error) -> {
              if (error != null) {
                listener.onError(config.group(), error);
              } else if (applied) {
                listener.onAcked(d);
              } else {
                stale(
                    d,
                    new StaleDeliveryException(d.id(), "its lease expired or was re-granted"),
                    false);
              }
              return null;
            });
  }

  /** Acks a message the handler must not see (duplicate or redrive for another group). */
  boolean ackSkipped(InFlight d) {
    if (!d.trySettle()) {
      return false;
    }
    tracked.remove(d);
    try {
      return acks.ack(new Ack(d.id(), DerivedKeys.processedKey(d.message()))).join();
    } catch (CompletionException e) {
      listener.onError(config.group(), e.getCause());
      return false;
    }
  }

  /** Runs a transactional handler in the store transaction that acks. */
  void inTransaction(InFlight d, TransactionalHandler handler) throws Exception {
    Ack ack = new Ack(d.id(), DerivedKeys.processedKey(d.message()));
    try {
      storage.inTransaction(
          config.group(),
          ack,
          tx -> {
            handler.handle(d, tx);
            return null;
          });
    } catch (StaleDeliveryException e) {
      if (d.trySettle()) {
        tracked.remove(d);
      }
      stale(d, e, false);
      return;
    }
    if (d.trySettle()) {
      tracked.remove(d);
      forget(d);
      listener.onAcked(d);
    }
  }

  /**
   * A failure: retry after {@code delay} (or the backoff's), or dead-letter when the error is not
   * retryable or attempts are exhausted.
   */
  void fail(InFlight d, Throwable error, Duration delay, boolean fromUser) {
    claim(d);
    Instant now = clock.instant();
    if (error != null && !config.retry().isRetryable(error)) {
      toDeadLetters(d, "not-retryable", error, now, fromUser);
      return;
    }
    if (!config.retry().hasAttemptsLeft(d.attempt())) {
      toDeadLetters(d, "exhausted", error, now, fromUser);
      return;
    }
    if (firstFailures.size() < MAX_TRACKED_FAILURES) {
      firstFailures.putIfAbsent(positionKey(d), now);
    }
    Duration wait =
        delay != null
            ? delay
            : config.retry().backoff().delay(d.attempt(), ThreadLocalRandom.current());
    try {
      storage.release(config.group(), d.id(), now.plus(wait), true);
      listener.onRetried(d, wait, error);
    } catch (StaleDeliveryException e) {
      stale(d, e, fromUser);
    }
  }

  /** Deliver again after {@code delay} without counting this attempt. */
  void defer(InFlight d, Duration delay) {
    claim(d);
    try {
      storage.release(config.group(), d.id(), clock.instant().plus(delay), false);
      listener.onDeferred(d, delay);
    } catch (StaleDeliveryException e) {
      stale(d, e, true);
    }
  }

  /** Dead-letters at once (a manual call or a handler's decision). */
  void deadLetter(InFlight d, String reason, Throwable error, boolean fromUser) {
    claim(d);
    toDeadLetters(d, reason, error, clock.instant(), fromUser);
  }

  private void toDeadLetters(
      InFlight d, String reason, Throwable error, Instant now, boolean fromUser) {
    Instant first = firstFailures.remove(positionKey(d));
    if (first == null) {
      first = d.attempt() > 1 && d.firstDeliveredAt() != null ? d.firstDeliveredAt() : now;
    }
    Optional<String> topic = config.deadLetterTopicFor(d.topic());
    try {
      if (topic.isPresent()) {
        deadLetterer.deadLetter(
            d, topic.get(), new DeadLetterer.Failure(reason, error, first, now));
      } else {
        BatchResult result = storage.ack(config.group(), List.of(Ack.of(d.id())));
        if (!result.rejected().isEmpty()) {
          throw new StaleDeliveryException(d.id(), "its lease expired or was re-granted");
        }
      }
      listener.onDeadLettered(d, topic.orElse(null), reason, error);
    } catch (StaleDeliveryException e) {
      stale(d, e, fromUser);
    }
  }

  /** Shutdown: give the message back for immediate redelivery without counting the attempt. */
  void releaseUnprocessed(InFlight d) {
    if (!d.trySettle()) {
      return;
    }
    tracked.remove(d);
    try {
      storage.release(config.group(), d.id(), clock.instant(), false);
      listener.onReleased(d);
    } catch (StaleDeliveryException e) {
      stale(d, e, false);
    } catch (RuntimeException e) {
      listener.onError(config.group(), e);
    }
  }

  /**
   * A delivery that waited past its lease (on the runtime's clock) before it could start: it never
   * reached the handler, so it is handed back without counting the attempt if the store still holds
   * the lease for this member, or left to the store's expiry if not. No listener hook: it was never
   * delivered.
   */
  void releaseNeverStarted(InFlight d) {
    if (!d.trySettle()) {
      return;
    }
    tracked.remove(d);
    try {
      storage.release(config.group(), d.id(), clock.instant(), false);
    } catch (StaleDeliveryException e) {
      // The store's lease ran out as well: it redelivers the message on its own.
    } catch (RuntimeException e) {
      listener.onError(config.group(), e);
    }
  }

  /** Extends one lease on the handler's request. */
  void extend(InFlight d, Duration extension) {
    if (d.isSettled()) {
      throw new StaleDeliveryException(d.id(), "it was already settled");
    }
    Instant now = clock.instant();
    BatchResult result = storage.extendLeases(config.group(), List.of(d.id()), extension);
    if (!result.rejected().isEmpty()) {
      stale(d, new StaleDeliveryException(d.id(), "its lease expired or was re-granted"), true);
    }
    d.extendedTo(now.plus(extension));
  }

  private void forget(InFlight d) {
    if (!firstFailures.isEmpty()) {
      firstFailures.remove(positionKey(d));
    }
  }

  private static String positionKey(InFlight d) {
    return d.topic() + '\n' + d.partition() + '\n' + d.offset();
  }
}
