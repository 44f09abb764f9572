package io.sluice.consumer;

import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.internal.Validation;
import java.time.Duration;
import java.util.List;

/**
 * The options of a consumer group member, each declared once: a field with its default and a setter
 * that checks its argument at once (the rule itself lives in {@link GroupConfig}, which checks the
 * whole configuration again when built). {@link GroupConfig.Builder} and {@link
 * ConsumerGroupBuilder} both extend it, so each option is set the same way everywhere, and the
 * Spring listener settings map onto it. The defaults are those of {@link GroupConfig}. Not
 * thread-safe.
 *
 * @param <B> the builder type the setters return
 */
public abstract sealed class GroupOptions<B extends GroupOptions<B>>
    permits GroupConfig.Builder, ConsumerGroupBuilder {
  AckMode ackMode = AckMode.AUTO;
  Ordering ordering = Ordering.UNORDERED;
  int concurrency = GroupConfig.DEFAULT_CONCURRENCY;
  boolean virtualThreads = true;
  int batchSize = GroupConfig.DEFAULT_BATCH_SIZE;
  Integer prefetch;
  Duration lease = GroupConfig.DEFAULT_LEASE;
  Duration pollInterval;
  RetryPolicy retry = RetryPolicy.DEFAULT;
  String deadLetterTopic;
  boolean deadLetters = true;
  Position startPosition = Position.EARLIEST;
  boolean skipProcessed = true;
  Duration shutdownTimeout = GroupConfig.DEFAULT_SHUTDOWN_TIMEOUT;
  Duration lagInterval = GroupConfig.DEFAULT_LAG_INTERVAL;
  Duration maxHandlerTime = GroupConfig.DEFAULT_MAX_HANDLER_TIME;
  String member;
  int maxBatchSize = GroupConfig.DEFAULT_MAX_BATCH_SIZE;
  Duration maxBatchWait = GroupConfig.DEFAULT_MAX_BATCH_WAIT;

  GroupOptions() {}

  abstract B self();

  /** {@link AckMode#AUTO} (default) or {@link AckMode#MANUAL}. */
  public B ackMode(AckMode ackMode) {
    this.ackMode = Validation.required("ackMode", ackMode);
    return self();
  }

  /** The handler settles each delivery itself; see {@link AckMode#MANUAL}. */
  public B manualAck() {
    return ackMode(AckMode.MANUAL);
  }

  /** {@link Ordering#UNORDERED} (default) or {@link Ordering#KEY_ORDERED}. */
  public B ordering(Ordering ordering) {
    this.ordering = Validation.required("ordering", ordering);
    return self();
  }

  /** Handlers running at once in this member, 1 to 10,000 (default 16). */
  public B concurrency(int concurrency) {
    this.concurrency = GroupConfig.checkParallelism("concurrency", concurrency);
    return self();
  }

  /** Handlers on virtual threads (true, default) or on {@code concurrency} platform threads. */
  public B virtualThreads(boolean virtualThreads) {
    this.virtualThreads = virtualThreads;
    return self();
  }

  /** The most messages one claim asks for, 1 to 10,000 (default 64). */
  public B batchSize(int batchSize) {
    this.batchSize = GroupConfig.checkParallelism("batchSize", batchSize);
    return self();
  }

  /** The most messages claimed but not yet started, 1 to 10,000 (default: the concurrency). */
  public B prefetch(int prefetch) {
    this.prefetch = GroupConfig.checkParallelism("prefetch", prefetch);
    return self();
  }

  /** How long a claim reserves a message, at least 100 ms (default 30 s). */
  public B lease(Duration lease) {
    this.lease = GroupConfig.checkLease(lease);
    return self();
  }

  /**
   * How long an idle member waits before claiming again. Default 50 ms, or 1 s on a store whose
   * notifications cross processes (see {@link GroupConfig#defaultPollInterval}).
   */
  public B pollInterval(Duration pollInterval) {
    this.pollInterval = Validation.positive("pollInterval", pollInterval);
    return self();
  }

  /** Attempts, backoff and non-retryable exceptions (default {@link RetryPolicy#DEFAULT}). */
  public B retry(RetryPolicy retry) {
    this.retry = Validation.required("retry", retry);
    return self();
  }

  /**
   * Adds exception types (and their subclasses) that are never retried: a handler failure of such a
   * type dead-letters its message at once, with reason {@code not-retryable}, whatever attempts are
   * left. Shorthand for {@code retry(retry.notRetryable(types))}; set it after {@link #retry},
   * which replaces the whole policy.
   */
  @SafeVarargs
  public final B notRetryable(Class<? extends Throwable>... types) {
    Validation.required("types", types);
    this.retry = retry.notRetryable(types);
    return self();
  }

  /** The dead-letter topic for every subscribed topic (default {@code <topic>.dlq}). */
  public B deadLetterTopic(String topic) {
    this.deadLetterTopic = Validation.topic(topic);
    this.deadLetters = true;
    return self();
  }

  /** No dead-letter topic: exhausted messages are acked, dropped and reported to the listener. */
  public B noDeadLetterTopic() {
    this.deadLetterTopic = null;
    this.deadLetters = false;
    return self();
  }

  /** Where the group starts in a partition it has never consumed (default earliest). */
  public B startPosition(Position position) {
    this.startPosition = Validation.required("startPosition", position);
    return self();
  }

  /** Whether to skip messages whose idempotency key the group already processed (default on). */
  public B skipProcessed(boolean skipProcessed) {
    this.skipProcessed = skipProcessed;
    return self();
  }

  /** How long {@link ConsumerGroup#close()} waits for running handlers (default 30 s). */
  public B shutdownTimeout(Duration timeout) {
    this.shutdownTimeout = Validation.nonNegative("shutdownTimeout", timeout);
    return self();
  }

  /** How often lag per partition is reported to the listener (default 10 s). */
  public B lagInterval(Duration interval) {
    this.lagInterval = Validation.positive("lagInterval", interval);
    return self();
  }

  /**
   * The longest a handler may run (default 15 minutes): then it is interrupted and its delivery
   * fails (retried with backoff, or dead-lettered when attempts ran out); see {@link
   * GroupConfig#maxHandlerTime()}.
   */
  public B maxHandlerTime(Duration maxHandlerTime) {
    this.maxHandlerTime = GroupConfig.checkMaxHandlerTime(maxHandlerTime);
    return self();
  }

  /** A name for this member in logs and claims (default: the group plus a random suffix). */
  public B member(String member) {
    this.member = member == null ? null : GroupConfig.checkMember(member);
    return self();
  }

  /**
   * For a batch handler: the most deliveries in one call, 1 to 10,000 (default 100). Each delivery
   * of a batch holds a handler slot, so a member runs up to {@code concurrency} batches at once and
   * claims for {@code concurrency × maxBatchSize} deliveries.
   */
  public B maxBatchSize(int maxBatchSize) {
    this.maxBatchSize = GroupConfig.checkParallelism("maxBatchSize", maxBatchSize);
    return self();
  }

  /**
   * For a batch handler: how long a batch that is not full waits for more deliveries, after its
   * first one was started (default 10 ms; zero takes what is ready at once).
   */
  public B maxBatchWait(Duration maxBatchWait) {
    this.maxBatchWait = Validation.nonNegative("maxBatchWait", maxBatchWait);
    return self();
  }

  /** Sets every option to the value it has in {@code config} (not the group or its topics). */
  public B options(GroupConfig config) {
    Validation.required("config", config);
    ackMode = config.ackMode();
    ordering = config.ordering();
    concurrency = config.concurrency();
    virtualThreads = config.virtualThreads();
    batchSize = config.batchSize();
    prefetch = config.prefetch();
    lease = config.lease();
    pollInterval = config.pollInterval();
    retry = config.retry();
    deadLetterTopic = config.deadLetterTopic();
    deadLetters = config.deadLetters();
    startPosition = config.startPosition();
    skipProcessed = config.skipProcessed();
    shutdownTimeout = config.shutdownTimeout();
    lagInterval = config.lagInterval();
    maxHandlerTime = config.maxHandlerTime();
    member = config.member();
    maxBatchSize = config.maxBatchSize();
    maxBatchWait = config.maxBatchWait();
    return self();
  }

  /** The configuration of {@code group} on {@code topics} with these options; validates it. */
  GroupConfig build(String group, List<String> topics) {
    return build(group, topics, GroupConfig.DEFAULT_POLL_INTERVAL);
  }

  /** As {@link #build(String, List)}, with {@code idlePoll} when no poll interval was set. */
  GroupConfig build(String group, List<String> topics, Duration idlePoll) {
    return new GroupConfig(
        group,
        topics,
        ackMode,
        ordering,
        concurrency,
        virtualThreads,
        batchSize,
        prefetch != null ? prefetch : concurrency,
        lease,
        pollInterval != null ? pollInterval : idlePoll,
        retry,
        deadLetterTopic,
        deadLetters,
        startPosition,
        skipProcessed,
        shutdownTimeout,
        lagInterval,
        maxHandlerTime,
        member,
        maxBatchSize,
        maxBatchWait);
  }
}
