package io.sluice.consumer;

import io.sluice.spi.Storage;
import java.time.Duration;
import java.util.List;

/**
 * A running member of a consumer group: it claims messages of the subscribed topics, runs the
 * handler and settles each delivery. Several members of one group (in this JVM or others sharing
 * the store) share the work; a message is handled by one member at a time.
 *
 * <pre>{@code
 * ConsumerGroup g = sluice.consumer("billing")
 *     .subscribe("orders")
 *     .handler(delivery -> pay(delivery.payloadAsString()))
 *     .start();
 * g.pause();   // stop claiming; running handlers finish
 * g.resume();
 * g.close(Duration.ofSeconds(10));
 * }</pre>
 *
 * Thread-safe. Closing is idempotent.
 */
public interface ConsumerGroup extends AutoCloseable {

  /**
   * A builder for a member of {@code group} on {@code storage}, for use without {@link
   * io.sluice.Sluice}.
   */
  static ConsumerGroupBuilder builder(String group, Storage storage) {
    return new ConsumerGroupBuilder(group, storage);
  }

  /** The group's name. */
  String name();

  /** The subscribed topics. */
  List<String> topics();

  /** The configuration this member runs with. */
  GroupConfig config();

  /**
   * Stops claiming new messages; running handlers finish and their deliveries settle. Returns once
   * a claim under way has finished; what it claimed is handed back unstarted, so no message claimed
   * after the call began reaches a handler (deliveries claimed before it and waiting for a handler
   * slot still run).
   */
  void pause();

  /** Claims again after {@link #pause()}. */
  void resume();

  /** Whether the member is paused. */
  boolean isPaused();

  /** Whether the member was started and is not yet closed. */
  boolean isRunning();

  /**
   * Stops claiming, waits up to {@code deadline} for running handlers to finish, then releases
   * every delivery still unsettled (unstarted ones, and those whose handler did not finish in time)
   * for immediate redelivery without counting the attempt, interrupts late handlers, and stops the
   * member's threads. Idempotent.
   *
   * @return true if every handler finished within the deadline
   */
  boolean close(Duration deadline);

  /** {@link #close(Duration)} with the configured {@link GroupConfig#shutdownTimeout()}. */
  @Override
  void close();
}
