package io.sluice.consumer;

import io.sluice.api.MessageHandler;
import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.internal.GroupMember;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Configures and starts one member of a consumer group. Obtain it from {@link
 * io.sluice.Sluice#consumer(String)} or {@link ConsumerGroup#builder(String, Storage)}. Every
 * setter checks its argument at once and throws {@link InvalidConfigException} (or another {@link
 * io.sluice.api.error.InvalidRequestException}); {@link #start()} checks the whole configuration.
 * Not thread-safe.
 */
public final class ConsumerGroupBuilder {
  private final Storage storage;
  private final GroupConfig.Builder config;
  private final List<String> topics = new ArrayList<>();
  private InstantSource clock = InstantSource.system();
  private ConsumerListener listener = ConsumerListener.NONE;
  private MessageHandler handler;
  private TransactionalHandler transactionalHandler;
  private Consumer<? super ConsumerGroup> onStart = g -> {};

  ConsumerGroupBuilder(String group, Storage storage) {
    Validation.group(group);
    this.storage = Validation.required("storage", storage);
    this.config = new GroupConfig.Builder(group);
  }

  /** Adds topics to consume. At least one is required. */
  public ConsumerGroupBuilder subscribe(String... topics) {
    for (String topic : topics) {
      this.topics.add(Validation.topic(topic));
    }
    return this;
  }

  /** Handlers running at once in this member (default 16). */
  public ConsumerGroupBuilder concurrency(int concurrency) {
    config.concurrency(concurrency);
    return this;
  }

  /** {@link Ordering#UNORDERED} (default) or {@link Ordering#KEY_ORDERED}. */
  public ConsumerGroupBuilder ordering(Ordering ordering) {
    config.ordering = Validation.required("ordering", ordering);
    return this;
  }

  /** Attempts, backoff and non-retryable exceptions (default {@link RetryPolicy#DEFAULT}). */
  public ConsumerGroupBuilder retry(RetryPolicy retry) {
    config.retry = Validation.required("retry", retry);
    return this;
  }

  /** The dead-letter topic for every subscribed topic (default {@code <topic>.dlq}). */
  public ConsumerGroupBuilder deadLetterTopic(String topic) {
    config.deadLetterTopic = Validation.topic(topic);
    config.deadLetters = true;
    return this;
  }

  /** No dead-letter topic: exhausted messages are acked, dropped and reported to the listener. */
  public ConsumerGroupBuilder noDeadLetterTopic() {
    config.deadLetterTopic = null;
    config.deadLetters = false;
    return this;
  }

  /** The handler, acknowledged automatically unless {@link #manualAck()} is set. */
  public ConsumerGroupBuilder handler(MessageHandler handler) {
    this.handler = Validation.required("handler", handler);
    this.transactionalHandler = null;
    return this;
  }

  /**
   * A handler that runs in the same store transaction as its ack (exactly-once database effects on
   * the JDBC backend). Implies automatic acks.
   */
  public ConsumerGroupBuilder transactionalHandler(TransactionalHandler handler) {
    this.transactionalHandler = Validation.required("handler", handler);
    this.handler = null;
    return this;
  }

  /** The handler settles each delivery itself; see {@link AckMode#MANUAL}. */
  public ConsumerGroupBuilder manualAck() {
    config.ackMode = AckMode.MANUAL;
    return this;
  }

  /** Handlers on virtual threads (true, default) or a pool of {@code concurrency} threads. */
  public ConsumerGroupBuilder virtualThreads(boolean virtualThreads) {
    config.virtualThreads = virtualThreads;
    return this;
  }

  /** The most messages one claim asks for (default 64). */
  public ConsumerGroupBuilder batchSize(int batchSize) {
    config.batchSize = batchSize;
    return this;
  }

  /** The most messages claimed but not yet started (default: the concurrency). */
  public ConsumerGroupBuilder prefetch(int prefetch) {
    config.prefetch = prefetch;
    config.prefetchSet = true;
    return this;
  }

  /** How long a claim reserves a message (default 30 s, at least 100 ms). */
  public ConsumerGroupBuilder lease(Duration lease) {
    config.lease = Validation.positive("lease", lease);
    return this;
  }

  /** How long an idle member waits before claiming again (default 50 ms). */
  public ConsumerGroupBuilder pollInterval(Duration pollInterval) {
    config.pollInterval = Validation.positive("pollInterval", pollInterval);
    return this;
  }

  /** Where the group starts in a partition it has never consumed (default earliest). */
  public ConsumerGroupBuilder startPosition(Position position) {
    config.startPosition = Validation.required("startPosition", position);
    return this;
  }

  /** Whether to skip messages whose idempotency key the group already processed (default on). */
  public ConsumerGroupBuilder skipProcessed(boolean skipProcessed) {
    config.skipProcessed = skipProcessed;
    return this;
  }

  /** How long {@link ConsumerGroup#close()} waits for running handlers (default 30 s). */
  public ConsumerGroupBuilder shutdownTimeout(Duration timeout) {
    config.shutdownTimeout = Validation.nonNegative("shutdownTimeout", timeout);
    return this;
  }

  /** How often lag per partition is reported to the listener (default 10 s). */
  public ConsumerGroupBuilder lagInterval(Duration interval) {
    config.lagInterval = Validation.positive("lagInterval", interval);
    return this;
  }

  /** A name for this member in logs and claims. */
  public ConsumerGroupBuilder member(String member) {
    config.member = member;
    return this;
  }

  /** Replaces every setting with {@code config} (topics, group name excepted: they must match). */
  public ConsumerGroupBuilder config(GroupConfig config) {
    Validation.required("config", config);
    if (!config.group().equals(this.config.group)) {
      throw new InvalidConfigException(
          "expected a config for group " + this.config.group + ", found " + config.group());
    }
    GroupConfig.Builder copy = new GroupConfig.Builder(config);
    this.topics.clear();
    this.topics.addAll(config.topics());
    copyInto(copy);
    return this;
  }

  private void copyInto(GroupConfig.Builder c) {
    config.ackMode = c.ackMode;
    config.ordering = c.ordering;
    config.concurrency = c.concurrency;
    config.virtualThreads = c.virtualThreads;
    config.batchSize = c.batchSize;
    config.prefetch = c.prefetch;
    config.prefetchSet = true;
    config.lease = c.lease;
    config.pollInterval = c.pollInterval;
    config.retry = c.retry;
    config.deadLetterTopic = c.deadLetterTopic;
    config.deadLetters = c.deadLetters;
    config.startPosition = c.startPosition;
    config.skipProcessed = c.skipProcessed;
    config.shutdownTimeout = c.shutdownTimeout;
    config.lagInterval = c.lagInterval;
    config.member = c.member;
  }

  /** The time source for backoff, leases and latencies (default the system clock). */
  public ConsumerGroupBuilder clock(InstantSource clock) {
    this.clock = Validation.required("clock", clock);
    return this;
  }

  /** The metrics hooks (default none). */
  public ConsumerGroupBuilder listener(ConsumerListener listener) {
    this.listener = Validation.required("listener", listener);
    return this;
  }

  /**
   * Called with the member once started, before {@link #start()} returns; {@link io.sluice.Sluice}
   * uses it to close the members it made.
   */
  public ConsumerGroupBuilder onStart(Consumer<? super ConsumerGroup> hook) {
    this.onStart = Validation.required("hook", hook);
    return this;
  }

  /** The configuration as set so far. */
  public GroupConfig toConfig() {
    return config.topics(List.copyOf(topics)).build();
  }

  /**
   * Validates the configuration and starts the member.
   *
   * @throws InvalidConfigException when no topic or no handler is set, or a setting is invalid
   * @throws io.sluice.api.error.TopicNotFoundException when a subscribed topic does not exist
   */
  public ConsumerGroup start() {
    GroupConfig built = toConfig();
    if (handler == null && transactionalHandler == null) {
      throw new InvalidConfigException("consumer group " + built.group() + " needs a handler");
    }
    if (transactionalHandler != null && built.ackMode() == AckMode.MANUAL) {
      throw new InvalidConfigException(
          "a transactional handler is always acknowledged automatically");
    }
    for (String topic : built.topics()) {
      storage.describeTopic(topic);
    }
    GroupMember member =
        new GroupMember(storage, built, clock, listener, handler, transactionalHandler);
    member.start();
    onStart.accept(member);
    return member;
  }
}
