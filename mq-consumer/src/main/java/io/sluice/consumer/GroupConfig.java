package io.sluice.consumer;

import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.api.internal.Texts;
import io.sluice.api.internal.Validation;
import io.sluice.spi.Capabilities;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a consumer group member is configured with, validated on construction. Build it with
 * {@link ConsumerGroupBuilder} or {@link #builder(String)}, or start from {@link #defaults(String,
 * List)} and use the {@code with...} methods; the options are declared in {@link GroupOptions}.
 *
 * <p><b>Dead-letter topic names.</b> The default dead-letter topic of {@code orders} is {@code
 * orders.dlq}. Topic names have at most 200 characters, so a group using the default can subscribe
 * topics of at most {@value #MAX_TOPIC_WITH_DEFAULT_DEAD_LETTERS} characters; a longer one is
 * rejected here, when the group is configured, rather than when its first message fails.
 *
 * @param group the consumer group name
 * @param topics the subscribed topics, at least one, no repeats
 * @param ackMode {@link AckMode#AUTO} (default) or {@link AckMode#MANUAL}
 * @param ordering {@link Ordering#UNORDERED} (default) or {@link Ordering#KEY_ORDERED}
 * @param concurrency handlers running at once in this member, 1 to 10,000 (default 16)
 * @param virtualThreads run handlers on virtual threads (default) or on {@code concurrency}
 *     platform threads
 * @param batchSize the most messages one claim asks for, 1 to 10,000 (default 64)
 * @param prefetch the most messages claimed but not yet started, at least 1 (default {@code
 *     concurrency}); bounds how long a claimed message can wait in memory. A prefetched message
 *     uses up no attempt: attempts are counted when a handler starts.
 * @param lease how long a claim reserves a message, at least 100 ms (default 30 s); extended
 *     automatically while its handler runs
 * @param pollInterval how long an idle member waits before claiming again; by default 50 ms, or
 *     {@value #NOTIFIED_POLL_INTERVAL_MILLIS} ms on a store whose append notifications cross
 *     processes (see {@link #defaultPollInterval})
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
 * @param maxHandlerTime the longest a handler may run, on the member's clock (default 15 minutes,
 *     at least 1 ms). Then its lease is no longer extended, its delivery fails as an attempt
 *     (reported to the listener with a {@link java.util.concurrent.TimeoutException}, retried with
 *     backoff or dead-lettered when attempts ran out) and the handler is interrupted. A handler
 *     that ignores the interrupt keeps its thread, but no longer counts against {@code
 *     concurrency}.
 * @param member a name for this member in logs and claims, or null for a generated one
 * @param maxBatchSize for a batch handler: the most deliveries in one handler call, 1 to 10,000
 *     (default 100); other handlers ignore it
 * @param maxBatchWait for a batch handler: how long a batch that is not full yet waits for more
 *     deliveries after its first one was started (default 10 ms; zero: take what is ready)
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
    Duration maxHandlerTime,
    String member,
    int maxBatchSize,
    Duration maxBatchWait) {

  /** The largest {@link #concurrency}, {@link #batchSize} and {@link #prefetch}. */
  public static final int MAX_PARALLELISM = 10_000;

  /** What the default dead-letter topic adds to a topic name. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  /** The longest topic name whose default dead-letter topic is a valid name. */
  public static final int MAX_TOPIC_WITH_DEFAULT_DEAD_LETTERS =
      Validation.MAX_NAME_LENGTH - DEAD_LETTER_SUFFIX.length();

  static final int DEFAULT_CONCURRENCY = 16;
  static final int DEFAULT_BATCH_SIZE = 64;
  static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  static final Duration MIN_LEASE = Duration.ofMillis(100);
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);

  /** The default idle poll interval, in ms, on a store whose notifications cross processes. */
  public static final long NOTIFIED_POLL_INTERVAL_MILLIS = 1_000;

  static final int DEFAULT_MAX_BATCH_SIZE = 100;
  static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofMillis(10);
  static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_LAG_INTERVAL = Duration.ofSeconds(10);
  static final Duration DEFAULT_MAX_HANDLER_TIME = Duration.ofMinutes(15);
  static final Duration MIN_MAX_HANDLER_TIME = Duration.ofMillis(1);

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
    checkParallelism("concurrency", concurrency);
    checkParallelism("batchSize", batchSize);
    checkParallelism("prefetch", prefetch);
    checkLease(lease);
    Validation.positive("pollInterval", pollInterval);
    Validation.required("retry", retry);
    checkDeadLetterTopics(topics, deadLetterTopic, deadLetters);
    Validation.required("startPosition", startPosition);
    Validation.nonNegative("shutdownTimeout", shutdownTimeout);
    Validation.positive("lagInterval", lagInterval);
    checkMaxHandlerTime(maxHandlerTime);
    if (member != null) {
      checkMember(member);
    }
    checkParallelism("maxBatchSize", maxBatchSize);
    Validation.nonNegative("maxBatchWait", maxBatchWait);
  }

  /**
   * The idle poll interval a member gets when none is set: 50 ms, or {@value
   * #NOTIFIED_POLL_INTERVAL_MILLIS} ms when the store's notifications cross processes ({@link
   * Capabilities#crossProcessNotifications()}, PostgreSQL with {@code LISTEN/NOTIFY}). There new
   * messages wake a member at once wherever they were sent, and the poll only covers a lost
   * notification, so idle members send 20 times fewer claim statements. Without them (file store,
   * H2, a pooler that drops {@code LISTEN}) messages sent by another process are found by polling,
   * which stays at 50 ms.
   */
  public static Duration defaultPollInterval(Capabilities capabilities) {
    Validation.required("capabilities", capabilities);
    return capabilities.crossProcessNotifications()
        ? Duration.ofMillis(NOTIFIED_POLL_INTERVAL_MILLIS)
        : DEFAULT_POLL_INTERVAL;
  }

  static int checkParallelism(String what, int value) {
    if (value < 1 || value > MAX_PARALLELISM) {
      throw new InvalidConfigException(
          what + " must be 1 to " + MAX_PARALLELISM + ", found " + value);
    }
    return value;
  }

  static Duration checkLease(Duration lease) {
    Validation.positive("lease", lease);
    if (lease.compareTo(MIN_LEASE) < 0) {
      throw new InvalidConfigException("lease must be at least 100 ms, found " + lease);
    }
    return lease;
  }

  static Duration checkMaxHandlerTime(Duration maxHandlerTime) {
    Validation.positive("maxHandlerTime", maxHandlerTime);
    if (maxHandlerTime.compareTo(MIN_MAX_HANDLER_TIME) < 0) {
      throw new InvalidConfigException(
          "maxHandlerTime must be at least 1 ms, found " + maxHandlerTime);
    }
    return maxHandlerTime;
  }

  static String checkMember(String member) {
    Validation.text("member", member);
    return member;
  }

  /**
   * Checks the configured dead-letter topic, or (when dead letters are on without one) the default
   * one of every subscribed topic, so that an invalid name fails the configuration instead of
   * looping on the first exhausted message.
   */
  private static void checkDeadLetterTopics(
      List<String> topics, String deadLetterTopic, boolean deadLetters) {
    if (deadLetterTopic != null) {
      Validation.topic(deadLetterTopic);
      if (topics.contains(deadLetterTopic)) {
        throw new InvalidConfigException(
            "deadLetterTopic must differ from the subscribed topics, found " + deadLetterTopic);
      }
      return;
    }
    if (!deadLetters) {
      return;
    }
    for (String topic : topics) {
      String derived = topic + DEAD_LETTER_SUFFIX;
      try {
        Validation.topic(derived);
      } catch (InvalidNameException e) {
        InvalidConfigException invalid =
            new InvalidConfigException(
                "the default dead-letter topic of topic "
                    + Texts.quote(topic)
                    + " would have "
                    + derived.length()
                    + " characters, but topic names have at most "
                    + Validation.MAX_NAME_LENGTH
                    + ": with the default dead-letter topic a topic name may have at most "
                    + MAX_TOPIC_WITH_DEFAULT_DEAD_LETTERS
                    + "; set deadLetterTopic, or noDeadLetterTopic()");
        invalid.initCause(e);
        throw invalid;
      }
    }
  }

  /** A builder of a configuration for {@code group}, with the defaults. */
  public static Builder builder(String group) {
    return new Builder(group);
  }

  /** The defaults for a group subscribing {@code topics}. */
  public static GroupConfig defaults(String group, List<String> topics) {
    return builder(group).topics(topics).build();
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    return builder(group).topics(topics).options(this);
  }

  /**
   * The dead-letter topic for messages of {@code topic}: the configured one, {@code <topic>.dlq} by
   * default, or empty when dead letters are off.
   */
  public Optional<String> deadLetterTopicFor(String topic) {
    if (!deadLetters) {
      return Optional.empty();
    }
    return Optional.of(deadLetterTopic != null ? deadLetterTopic : topic + DEAD_LETTER_SUFFIX);
  }

  /** This configuration with other topics. */
  public GroupConfig withTopics(List<String> topics) {
    return toBuilder().topics(topics).build();
  }

  /** This configuration with another ack mode. */
  public GroupConfig withAckMode(AckMode ackMode) {
    return toBuilder().ackMode(ackMode).build();
  }

  /** This configuration with another ordering. */
  public GroupConfig withOrdering(Ordering ordering) {
    return toBuilder().ordering(ordering).build();
  }

  /** This configuration with another concurrency (prefetch unchanged). */
  public GroupConfig withConcurrency(int concurrency) {
    return toBuilder().concurrency(concurrency).build();
  }

  /** This configuration with another retry policy. */
  public GroupConfig withRetry(RetryPolicy retry) {
    return toBuilder().retry(retry).build();
  }

  /** This configuration with another lease. */
  public GroupConfig withLease(Duration lease) {
    return toBuilder().lease(lease).build();
  }

  /** Builds a {@link GroupConfig}: the {@link GroupOptions} plus the group and its topics. */
  public static final class Builder extends GroupOptions<Builder> {
    private final String group;
    private List<String> topics = List.of();

    private Builder(String group) {
      this.group = Validation.group(group);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The subscribed topics (replacing any set before). */
    public Builder topics(List<String> topics) {
      this.topics = Validation.required("topics", topics);
      return this;
    }

    /**
     * The configuration.
     *
     * @throws InvalidConfigException when no topic is set or the options do not fit together
     */
    public GroupConfig build() {
      return build(group, topics);
    }
  }
}
