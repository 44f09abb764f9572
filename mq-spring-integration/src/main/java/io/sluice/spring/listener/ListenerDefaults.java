package io.sluice.spring.listener;

import io.sluice.api.Backoff;
import io.sluice.api.Ordering;
import io.sluice.api.TopicConfig;
import io.sluice.api.internal.Validation;
import java.time.Duration;

/**
 * What a {@link ListenerEndpoint} gets for each setting it leaves unset; the auto-configuration
 * fills it from {@code sluice.listener.*}.
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
    int missingTopicPartitions) {

  /** The defaults without any configuration. */
  public static final ListenerDefaults DEFAULTS =
      new ListenerDefaults(
          16,
          Ordering.UNORDERED,
          5,
          Backoff.DEFAULT,
          true,
          Duration.ofSeconds(30),
          Duration.ofMillis(50),
          true,
          1);

  /** Checks every field. */
  public ListenerDefaults {
    Validation.required("ordering", ordering);
    Validation.required("backoff", backoff);
    Validation.nonNegative("shutdownTimeout", shutdownTimeout);
    Validation.positive("pollInterval", pollInterval);
    Validation.partitions(missingTopicPartitions);
  }

  /** The configuration of a topic created because a listener subscribed it. */
  public TopicConfig missingTopicConfig() {
    return TopicConfig.partitions(missingTopicPartitions);
  }
}
