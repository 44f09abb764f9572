package io.sluice.consumer.internal;

import io.sluice.api.MessageHandler;
import io.sluice.api.error.StaleDeliveryException;
import io.sluice.consumer.AckMode;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.DeadLetterHeaders;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.TransactionalHandler;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one delivery: skips it if it is a redrive meant for another group or a duplicate this
 * group already processed, otherwise runs the handler and settles the outcome (auto ack, retry,
 * dead letter). Never throws.
 */
final class HandlerInvoker {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerInvoker.class);

  /** The dead-letter reason of a message whose last allowed attempt never reported back. */
  static final String ABANDONED = "abandoned";

  private final Storage storage;
  private final GroupConfig config;
  private final InstantSource clock;
  private final ConsumerListener listener;
  private final Settler settler;
  private final MessageHandler handler;
  private final TransactionalHandler transactionalHandler;

  HandlerInvoker(
      Storage storage,
      GroupConfig config,
      InstantSource clock,
      ConsumerListener listener,
      Settler settler,
      MessageHandler handler,
      TransactionalHandler transactionalHandler) {
    this.storage = storage;
    this.config = config;
    this.clock = clock;
    this.listener = listener;
    this.settler = settler;
    this.handler = handler;
    this.transactionalHandler = transactionalHandler;
  }

  /** Handles {@code d}; returns the pending auto ack, or null when nothing is pending. */
  CompletableFuture<Void> invoke(InFlight d) {
    listener.onDelivered(d);
    try {
      if (skipped(d)) {
        return null;
      }
    } catch (RuntimeException e) {
      LOG.warn("group {}: could not check {} for duplicates", config.group(), d, e);
      listener.onError(config.group(), e);
      settler.releaseUnprocessed(d);
      return null;
    }
    if (!config.retry().hasAttemptsLeft(d.attempt() - 1)) {
      // Every allowed attempt was handed out and the last never reported back: the consumer died
      // or its lease ran out mid-message. A message that kills its consumer must not loop forever.
      settleAbandoned(d);
      return null;
    }
    Instant start = clock.instant();
    Throwable failure = null;
    try {
      if (transactionalHandler != null) {
        settler.inTransaction(d, transactionalHandler);
      } else {
        handler.handle(d);
      }
    } catch (Throwable t) {
      failure = t;
    }
    listener.onHandled(d, Duration.between(start, clock.instant()), failure);
    return settle(d, failure);
  }

  private void settleAbandoned(InFlight d) {
    try {
      settler.deadLetter(d, ABANDONED, null, false);
    } catch (RuntimeException e) {
      LOG.warn("group {}: could not dead-letter abandoned {}", config.group(), d, e);
      listener.onError(config.group(), e);
    }
  }

  private boolean skipped(InFlight d) {
    Optional<String> target = d.headers().lastValue(DeadLetterHeaders.REDRIVE_GROUP);
    if (target.isPresent() && !target.get().equals(config.group())) {
      if (settler.ackSkipped(d)) {
        listener.onRedriveSkipped(d);
      }
      return true;
    }
    String key = DerivedKeys.processedKey(d.message());
    if (key != null
        && config.skipProcessed()
        && storage.isProcessed(config.group(), d.topic(), key)) {
      if (settler.ackSkipped(d)) {
        listener.onDuplicateSkipped(d);
      }
      return true;
    }
    return false;
  }

  private CompletableFuture<Void> settle(InFlight d, Throwable failure) {
    if (d.isSettled()) {
      if (failure != null && !(failure instanceof StaleDeliveryException)) {
        LOG.debug("group {}: handler threw after settling {}", config.group(), d, failure);
      }
      return null;
    }
    try {
      if (failure == null) {
        if (config.ackMode() == AckMode.AUTO) {
          return settler.ackAsync(d);
        }
      } else if (failure instanceof InterruptedException) {
        settler.releaseUnprocessed(d);
      } else {
        if (failure instanceof Error e && !(e instanceof AssertionError)) {
          LOG.error("group {}: handler threw an Error on {}", config.group(), d, e);
        }
        settler.fail(d, failure, null, false);
      }
    } catch (StaleDeliveryException e) {
      LOG.debug("group {}: {} settled concurrently", config.group(), d);
    } catch (RuntimeException e) {
      LOG.warn("group {}: could not settle {}; its lease will run out", config.group(), d, e);
      listener.onError(config.group(), e);
    }
    return null;
  }
}
