package io.sluice.consumer;

import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a consumer group member is configured with, validated on construction. Build it with
 * {@link ConsumerGroupBuilder}, or start from {@link #defaults(String, List)} and use the {@code
 * with...} methods.
 *
 * @param group the consumer group name
 * @param topics the subscribed topics, at least one, no repeats
 * @param ackMode {@link AckMode#AUTO} (default) or {@link AckMode#MANUAL}
 * @param ordering {@link Ordering#UNORDERED} (default) or {@link Ordering#KEY_ORDERED}
 * @param concurrency handlers running at once in this member, 1 to 10,000 (default 16)
 * @param virtualThreads run handlers on virtual threads (default) or on a fixed pool of {@code
 *     concurrency} platform threads
 * @param batchSize the most messages one claim asks for, 1 to 10,000 (default 64)
 * @param prefetch the most messages claimed but not yet started, at least 1 (default {@code
 *     concurrency}); bounds how long a claimed message can wait in memory
 * @param lease how long a claim reserves a message (default 30 s); extended automatically while its
 *     handler runs
 * @param pollInterval how long an idle member waits before claiming again (default 50 ms)
 * @param retry attempts, backoff and non-retryable exceptions (default {@link RetryPolicy#DEFAULT})
 * @param deadLetterTopic the dead-letter topic, or null for the default {@code <topic>.dlq}
 * @param deadLetters false to drop exhausted messages instead of dead-lettering them (they are
 *     acked and reported to the listener)
 * @param startPosition where the group starts in a partition it has never consumed (default {@link
 *     Position#EARLIEST})
 * @param skipProcessed ack without calling the handler a message whose idempotency key the group
 *     already completed within the topic's dedupe window (default true)
 * @param shutdownTimeout how long {@link ConsumerGroup#close()} waits for running handlers (default
 *     30 s)
 * @param lagInterval how often the member reports lag per partition to the listener (default 10 s)
 * @param member a name for this member in logs and claims, or null for a generated one
 */
public record GroupConfig(
    String group,
    List<String> topics,
    AckMode ackMode,
    Ordering ordering,
    int concurrency,
    boolean virtualThreads,
    int batchSize,
    int prefetch,
    Duration lease,
    Duration pollInterval,
    RetryPolicy retry,
    String deadLetterTopic,
    boolean deadLetters,
    Position startPosition,
    boolean skipProcessed,
    Duration shutdownTimeout,
    Duration lagInterval,
    String member) {

  /** The largest {@link #concurrency}, {@link #batchSize} and {@link #prefetch}. */
  public static final int MAX_PARALLELISM = 10_000;

  /** Validates every field; see the record description for the ranges. */
  public GroupConfig {
    Validation.group(group);
    if (topics == null || topics.isEmpty()) {
      throw new InvalidConfigException("a consumer group must subscribe at least one topic");
    }
    topics.forEach(Validation::topic);
    if (topics.stream().distinct().count() != topics.size()) {
      throw new InvalidConfigException("subscribed topics must not repeat, found " + topics);
    }
    topics = List.copyOf(topics);
    Validation.required("ackMode", ackMode);
    Validation.required("ordering", ordering);
    range("concurrency", concurrency);
    range("batchSize", batchSize);
    range("prefetch", prefetch);
    Validation.positive("lease", lease);
    if (lease.compareTo(Duration.ofMillis(100)) < 0) {
      throw new InvalidConfigException("lease must be at least 100 ms, found " + lease);
    }
    Validation.positive("pollInterval", pollInterval);
    Validation.required("retry", retry);
    if (deadLetterTopic != null) {
      Validation.topic(deadLetterTopic);
      if (topics.contains(deadLetterTopic)) {
        throw new InvalidConfigException(
            "deadLetterTopic must differ from the subscribed topics, found " + deadLetterTopic);
      }
    }
    Validation.required("startPosition", startPosition);
    Validation.nonNegative("shutdownTimeout", shutdownTimeout);
    Validation.positive("lagInterval", lagInterval);
    if (member != null) {
      Validation.text("member", member);
    }
  }

  private static void range(String what, int value) {
    if (value < 1 || value > MAX_PARALLELISM) {
      throw new InvalidConfigException(
          what + " must be 1 to " + MAX_PARALLELISM + ", found " + value);
    }
  }

  /** The defaults for a group subscribing {@code topics}. */
  public static GroupConfig defaults(String group, List<String> topics) {
    return new Builder(group).topics(topics).build();
  }

  /**
   * The dead-letter topic for messages of {@code topic}: the configured one, {@code <topic>.dlq} by
   * default, or empty when dead letters are off.
   */
  public Optional<String> deadLetterTopicFor(String topic) {
    if (!deadLetters) {
      return Optional.empty();
    }
    return Optional.of(deadLetterTopic != null ? deadLetterTopic : topic + ".dlq");
  }

  /** This configuration with other topics. */
  public GroupConfig withTopics(List<String> topics) {
    return new Builder(this).topics(topics).build();
  }

  /** This configuration with another ack mode. */
  public GroupConfig withAckMode(AckMode ackMode) {
    return new Builder(this).ackMode(ackMode).build();
  }

  /** This configuration with another ordering. */
  public GroupConfig withOrdering(Ordering ordering) {
    return new Builder(this).ordering(ordering).build();
  }

  /** This configuration with another concurrency (prefetch unchanged). */
  public GroupConfig withConcurrency(int concurrency) {
    return new Builder(this).concurrency(concurrency).build();
  }

  /** This configuration with another retry policy. */
  public GroupConfig withRetry(RetryPolicy retry) {
    return new Builder(this).retry(retry).build();
  }

  /** This configuration with another lease. */
  public GroupConfig withLease(Duration lease) {
    return new Builder(this).lease(lease).build();
  }

  /** A mutable copy, for {@link ConsumerGroupBuilder}; not part of the public API. */
  static final class Builder {
    String group;
    List<String> topics;
    AckMode ackMode;
    Ordering ordering;
    int concurrency;
    boolean virtualThreads;
    int batchSize;
    int prefetch;
    boolean prefetchSet;
    Duration lease;
    Duration pollInterval;
    RetryPolicy retry;
    String deadLetterTopic;
    boolean deadLetters;
    Position startPosition;
    boolean skipProcessed;
    Duration shutdownTimeout;
    Duration lagInterval;
    String member;

    Builder(String group) {
      this.group = group;
      topics = List.of();
      ackMode = AckMode.AUTO;
      ordering = Ordering.UNORDERED;
      concurrency = 16;
      virtualThreads = true;
      batchSize = 64;
      prefetch = 16;
      lease = Duration.ofSeconds(30);
      pollInterval = Duration.ofMillis(50);
      retry = RetryPolicy.DEFAULT;
      deadLetters = true;
      startPosition = Position.EARLIEST;
      skipProcessed = true;
      shutdownTimeout = Duration.ofSeconds(30);
      lagInterval = Duration.ofSeconds(10);
    }

    Builder(GroupConfig c) {
      group = c.group;
      topics = c.topics;
      ackMode = c.ackMode;
      ordering = c.ordering;
      concurrency = c.concurrency;
      virtualThreads = c.virtualThreads;
      batchSize = c.batchSize;
      prefetch = c.prefetch;
      lease = c.lease;
      pollInterval = c.pollInterval;
      retry = c.retry;
      deadLetterTopic = c.deadLetterTopic;
      deadLetters = c.deadLetters;
      startPosition = c.startPosition;
      skipProcessed = c.skipProcessed;
      shutdownTimeout = c.shutdownTimeout;
      lagInterval = c.lagInterval;
      member = c.member;
      prefetchSet = true;
    }

    Builder topics(List<String> topics) {
      this.topics = topics;
      return this;
    }

    Builder ackMode(AckMode ackMode) {
      this.ackMode = ackMode;
      return this;
    }

    Builder ordering(Ordering ordering) {
      this.ordering = ordering;
      return this;
    }

    Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      if (!prefetchSet) {
        prefetch = Math.max(1, Math.min(concurrency, MAX_PARALLELISM));
      }
      return this;
    }

    Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    Builder lease(Duration lease) {
      this.lease = lease;
      return this;
    }

    GroupConfig build() {
      return new GroupConfig(
          group,
          topics,
          ackMode,
          ordering,
          concurrency,
          virtualThreads,
          batchSize,
          prefetch,
          lease,
          pollInterval,
          retry,
          deadLetterTopic,
          deadLetters,
          startPosition,
          skipProcessed,
          shutdownTimeout,
          lagInterval,
          member);
    }
  }
}
