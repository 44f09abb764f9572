package io.sluice.spring.listener;

import io.sluice.api.Backoff;
import io.sluice.api.MessageHandler;
import io.sluice.api.Ordering;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.AckMode;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.GroupOptions;
import io.sluice.consumer.RetryPolicy;
import io.sluice.spring.core.MessageConversionException;
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
 * @param handler what runs for each delivery
 * @param description where it was declared, for messages (for example {@code Billing.on(Order)})
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
    String description) {

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
    Validation.required("handler", handler);
    description = description == null ? id : description;
    GroupConfig.Builder check = GroupConfig.builder(group).topics(topics);
    ListenerDefaults.DEFAULTS.applyTo(check);
    apply(check, ListenerDefaults.DEFAULTS, id, concurrency, ordering, maxAttempts, backoff);
    apply(check, deadLetterTopic, ackMode);
    check.build();
  }

  /**
   * Sets this listener's settings on {@code options}, each unset one from {@code defaults}; a
   * payload that cannot be converted is never retried.
   */
  public void applyTo(GroupOptions<?> options, ListenerDefaults defaults) {
    defaults.applyTo(options);
    apply(options, defaults, id, concurrency, ordering, maxAttempts, backoff);
    apply(options, deadLetterTopic, ackMode);
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
