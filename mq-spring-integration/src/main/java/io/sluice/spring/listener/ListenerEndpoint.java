package io.sluice.spring.listener;

import io.sluice.api.Backoff;
import io.sluice.api.MessageHandler;
import io.sluice.api.Ordering;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.AckMode;
import io.sluice.consumer.BatchHandler;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.GroupOptions;
import io.sluice.consumer.RetryPolicy;
import io.sluice.spring.core.MessageConversionException;
import java.time.Duration;
import java.util.List;

/**
 * One listener as declared: what {@link SluiceListener} said after placeholders were resolved, and
 * the handler that calls the method. A {@code null} setting takes the registry's {@link
 * ListenerDefaults} value; the settings are checked by the group options' own rules ({@link
 * GroupOptions}) and applied with {@link #applyTo}. Register endpoints of your own (without the
 * annotation) with {@link ListenerEndpointRegistry#register}.
 *
 * @param id unique in the registry
 * @param group the consumer group
 * @param topics the subscribed topics, at least one
 * @param concurrency handlers at once, or null for the default
 * @param ordering the ordering, or null for the default
 * @param maxAttempts deliveries before dead-lettering, or null for the default
 * @param backoff the retry backoff, or null for the default
 * @param deadLetterTopic the dead-letter topic, or null for {@code <topic>.dlq}
 * @param autoStartup whether to start with the context, or null for the default
 * @param ackMode who settles deliveries, or null for {@link AckMode#AUTO}
 * @param handler what runs for each delivery, or null for a batch listener
 * @param description where it was declared, for messages (for example {@code Billing.on(Order)})
 * @param notRetryable exception types (and subclasses) that dead-letter at once, never retried
 * @param batchHandler what runs for each batch of a batch listener, or null; exactly one of {@code
 *     handler} and {@code batchHandler} is set
 * @param maxBatchSize the most deliveries per batch, or null for the default (100)
 * @param maxBatchWait how long a batch waits to fill, or null for the default (10 ms)
 * @param transactional whether the listener runs in the store transaction that acks its deliveries
 *     (see {@link SluiceListener#transactional()}), or null for false
 */
public record ListenerEndpoint(
    String id,
    String group,
    List<String> topics,
    Integer concurrency,
    Ordering ordering,
    Integer maxAttempts,
    Backoff backoff,
    String deadLetterTopic,
    Boolean autoStartup,
    AckMode ackMode,
    MessageHandler handler,
    String description,
    List<Class<? extends Throwable>> notRetryable,
    BatchHandler batchHandler,
    Integer maxBatchSize,
    Duration maxBatchWait,
    Boolean transactional) {

  /** An endpoint of a single-message listener without the later settings. */
  public ListenerEndpoint(
      String id,
      String group,
      List<String> topics,
      Integer concurrency,
      Ordering ordering,
      Integer maxAttempts,
      Backoff backoff,
      String deadLetterTopic,
      Boolean autoStartup,
      AckMode ackMode,
      MessageHandler handler,
      String description) {
    this(
        id,
        group,
        topics,
        concurrency,
        ordering,
        maxAttempts,
        backoff,
        deadLetterTopic,
        autoStartup,
        ackMode,
        handler,
        description,
        List.of(),
        null,
        null,
        null,
        null);
  }

  /** Checks the names and the required fields. */
  public ListenerEndpoint {
    if (id == null || id.isBlank()) {
      throw new io.sluice.api.error.InvalidConfigException("a listener id must not be empty");
    }
    Validation.group(group);
    if (topics == null || topics.isEmpty()) {
      throw new io.sluice.api.error.InvalidConfigException(
          "listener " + id + " must subscribe at least one topic");
    }
    topics.forEach(Validation::topic);
    topics = List.copyOf(topics);
    if ((handler == null) == (batchHandler == null)) {
      throw new io.sluice.api.error.InvalidConfigException(
          "listener " + id + " needs exactly one of a handler and a batch handler");
    }
    notRetryable = notRetryable == null ? List.of() : List.copyOf(notRetryable);
    if (Boolean.TRUE.equals(transactional) && ackMode == AckMode.MANUAL) {
      throw new io.sluice.api.error.InvalidConfigException(
          "listener "
              + id
              + " is transactional, which acks automatically: ackMode MANUAL is not"
              + " possible");
    }
    description = description == null ? id : description;
    GroupConfig.Builder check = GroupConfig.builder(group).topics(topics);
    ListenerDefaults.DEFAULTS.applyTo(check);
    apply(check, ListenerDefaults.DEFAULTS, id, concurrency, ordering, maxAttempts, backoff);
    apply(check, deadLetterTopic, ackMode);
    applyLater(check, notRetryable, maxBatchSize, maxBatchWait);
    check.build();
  }

  /** Whether the method takes batches. */
  public boolean isBatch() {
    return batchHandler != null;
  }

  /** Whether the method runs in the store transaction that acks its deliveries. */
  public boolean isTransactional() {
    return Boolean.TRUE.equals(transactional);
  }

  /**
   * Sets this listener's settings on {@code options}, each unset one from {@code defaults}; a
   * payload that cannot be converted is never retried.
   */
  public void applyTo(GroupOptions<?> options, ListenerDefaults defaults) {
    defaults.applyTo(options);
    apply(options, defaults, id, concurrency, ordering, maxAttempts, backoff);
    apply(options, deadLetterTopic, ackMode);
    applyLater(options, notRetryable, maxBatchSize, maxBatchWait);
  }

  @SuppressWarnings("unchecked")
  private static void applyLater(
      GroupOptions<?> options,
      List<Class<? extends Throwable>> notRetryable,
      Integer maxBatchSize,
      Duration maxBatchWait) {
    if (notRetryable != null && !notRetryable.isEmpty()) {
      options.notRetryable(notRetryable.toArray(Class[]::new));
    }
    if (maxBatchSize != null) {
      options.maxBatchSize(maxBatchSize);
    }
    if (maxBatchWait != null) {
      options.maxBatchWait(maxBatchWait);
    }
  }

  private static void apply(
      GroupOptions<?> options,
      ListenerDefaults defaults,
      String id,
      Integer concurrency,
      Ordering ordering,
      Integer maxAttempts,
      Backoff backoff) {
    if (concurrency != null) {
      options.concurrency(concurrency);
    }
    if (ordering != null) {
      options.ordering(ordering);
    }
    options.retry(
        RetryPolicy.maxAttempts(maxAttempts != null ? maxAttempts : defaults.maxAttempts())
            .backoff(backoff != null ? backoff : defaults.backoff())
            .notRetryable(MessageConversionException.class));
    options.member(id);
  }

  private static void apply(GroupOptions<?> options, String deadLetterTopic, AckMode ackMode) {
    if (deadLetterTopic != null) {
      options.deadLetterTopic(deadLetterTopic);
    }
    if (ackMode != null) {
      options.ackMode(ackMode);
    }
  }

  /** A minimal endpoint: every setting from the defaults. */
  public static ListenerEndpoint of(
      String id, String group, List<String> topics, MessageHandler handler) {
    return new ListenerEndpoint(
        id, group, topics, null, null, null, null, null, null, null, handler, id);
  }
}
