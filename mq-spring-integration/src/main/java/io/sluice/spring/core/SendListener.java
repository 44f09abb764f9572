package io.sluice.spring.core;

import java.time.Duration;

/**
 * Told about every send {@link SluiceTemplate} completes, for metrics. Called on the sending thread
 * or the store's completion thread: keep it fast; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface SendListener {

  /** A listener that records nothing. */
  SendListener NONE = (topic, latency, failure) -> {};

  /**
   * A send to {@code topic} completed after {@code latency}; {@code failure} is null when the
   * message was stored (or joined the caller's transaction).
   */
  void onSend(String topic, Duration latency, Throwable failure);
}
