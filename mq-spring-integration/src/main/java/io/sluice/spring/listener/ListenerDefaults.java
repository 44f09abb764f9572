package io.sluice.spring.listener;

import io.sluice.api.Backoff;
import io.sluice.api.Ordering;
import io.sluice.api.TopicConfig;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.GroupOptions;
import io.sluice.consumer.RetryPolicy;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link ListenerEndpoint} gets for each setting it leaves unset; the auto-configuration
 * fills it from {@code sluice.listener.*}. The group settings are those of {@link GroupOptions},
 * checked by it (the ranges are declared there once) and applied to a listener's builder with
 * {@link #applyTo}.
 *
 * @param concurrency handlers running at once per listener
 * @param ordering the message ordering
 * @param maxAttempts deliveries before a message is dead-lettered
 * @param backoff the retry backoff
 * @param autoStartup whether listeners start with the context
 * @param shutdownTimeout how long stopping waits for running handlers
 * @param pollInterval how long an idle listener waits before looking for messages again
 * @param createMissingTopics create a subscribed topic that does not exist (with {@code
 *     missingTopicPartitions} partitions) instead of failing the startup
 * @param missingTopicPartitions partitions of a topic created that way
 * @param maxHandlerTime the longest a handler may run before it is interrupted and its delivery
 *     fails (see {@link GroupConfig#maxHandlerTime()})
 */
public record ListenerDefaults(
    int concurrency,
    Ordering ordering,
    int maxAttempts,
    Backoff backoff,
    boolean autoStartup,
    Duration shutdownTimeout,
    Duration pollInterval,
    boolean createMissingTopics,
    int missingTopicPartitions,
    Duration maxHandlerTime) {

  /** The defaults without any configuration: those of {@link GroupConfig}. */
  public static final ListenerDefaults DEFAULTS =
      of(GroupConfig.defaults("sluice", List.of("sluice")), true, true, 1);

  /** Checks every field with the group options' own rules. */
  public ListenerDefaults {
    Validation.required("backoff", backoff);
    apply(
        GroupConfig.builder("sluice"),
        concurrency,
        ordering,
        maxAttempts,
        backoff,
        shutdownTimeout,
        pollInterval,
        maxHandlerTime);
    Validation.partitions(missingTopicPartitions);
  }

  /** The defaults before {@code maxHandlerTime} existed; it takes {@link GroupConfig}'s. */
  public ListenerDefaults(
      int concurrency,
      Ordering ordering,
      int maxAttempts,
      Backoff backoff,
      boolean autoStartup,
      Duration shutdownTimeout,
      Duration pollInterval,
      boolean createMissingTopics,
      int missingTopicPartitions) {
    this(
        concurrency,
        ordering,
        maxAttempts,
        backoff,
        autoStartup,
        shutdownTimeout,
        pollInterval,
        createMissingTopics,
        missingTopicPartitions,
        DEFAULTS.maxHandlerTime());
  }

  /** The group settings of {@code config}, with the listener-only ones given. */
  public static ListenerDefaults of(
      GroupConfig config,
      boolean autoStartup,
      boolean createMissingTopics,
      int missingTopicPartitions) {
    return new ListenerDefaults(
        config.concurrency(),
        config.ordering(),
        config.retry().maxAttempts(),
        config.retry().backoff(),
        autoStartup,
        config.shutdownTimeout(),
        config.pollInterval(),
        createMissingTopics,
        missingTopicPartitions,
        config.maxHandlerTime());
  }

  /** Sets these group settings on {@code options} (a listener's builder, before its overrides). */
  public void applyTo(GroupOptions<?> options) {
    apply(
        options,
        concurrency,
        ordering,
        maxAttempts,
        backoff,
        shutdownTimeout,
        pollInterval,
        maxHandlerTime);
  }

  private static void apply(
      GroupOptions<?> options,
      int concurrency,
      Ordering ordering,
      int maxAttempts,
      Backoff backoff,
      Duration shutdownTimeout,
      Duration pollInterval,
      Duration maxHandlerTime) {
    options
        .concurrency(concurrency)
        .ordering(ordering)
        .retry(RetryPolicy.maxAttempts(maxAttempts).backoff(backoff))
        .shutdownTimeout(shutdownTimeout)
        .pollInterval(pollInterval)
        .maxHandlerTime(maxHandlerTime);
  }

  /** The configuration of a topic created because a listener subscribed it. */
  public TopicConfig missingTopicConfig() {
    return TopicConfig.partitions(missingTopicPartitions);
  }
}
