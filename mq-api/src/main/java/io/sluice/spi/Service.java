package io.sluice.spi;

/**
 * The lifecycle every background loop follows (group committer, claimer, lease keeper, ack batcher,
 * retention). {@code start} at most once; {@code close} is idempotent, may be called before or
 * without {@code start}, and returns only when the loop's threads have stopped.
 */
public interface Service extends AutoCloseable {
  /** Starts the loop. A second call, or a call after close, throws IllegalStateException. */
  void start();

  /** Stops the loop and waits for its threads. Idempotent; never throws checked exceptions. */
  @Override
  void close();
}
