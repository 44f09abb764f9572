package io.sluice.spring.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of a consumer group: the method is called once per delivered
 * message, and the message is acknowledged when it returns, retried with backoff when it throws,
 * and dead-lettered once attempts run out.
 *
 * <pre>{@code
 * @Component
 * class Billing {
 *   @SluiceListener(topic = "orders", group = "billing", concurrency = "8",
 *       maxAttempts = "5", backoff = "200ms,2.0,30s")
 *   void on(Order order, @Header("tenant") String tenant, Delivery delivery) { ... }
 * }
 * }</pre>
 *
 * <p><b>Batches and transactions.</b> {@code batch = "true"} makes a batch listener ({@code List}
 * parameters, see {@link #batch()}); {@code transactional = "true"} runs the method in the store
 * transaction that acks (see {@link #transactional()}); {@link #notRetryable()} lists exceptions
 * that dead-letter at once.
 *
 * <p><b>Parameters.</b> At most one parameter receives the payload: {@code byte[]} (raw), {@code
 * String} (UTF-8), or any other type, read from JSON with the application's Jackson mapper. Other
 * parameters may be {@link io.sluice.api.Delivery} (position, attempt, manual {@code ack}/{@code
 * nack}), {@link io.sluice.api.Message}, {@link io.sluice.api.Headers}, or a {@code String}
 * annotated with {@link Header}. A payload that cannot be converted is dead-lettered at once
 * (retrying would not help).
 *
 * <p><b>Attributes</b> are strings so that they may hold property placeholders ({@code
 * "${orders.concurrency:4}"}) and SpEL ({@code "#{...}"}), resolved once at startup. An empty
 * attribute takes its default from {@code sluice.listener.*}. A value that does not parse fails the
 * startup with a message naming the method and the attribute.
 *
 * <p>Listeners start when the application context has been refreshed (after every bean is ready)
 * and stop, within {@code sluice.listener.shutdown-timeout}, when it closes. {@link
 * ListenerEndpointRegistry} pauses, resumes, stops and starts them by {@link #id()}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SluiceListener {

  /** A unique id for {@link ListenerEndpointRegistry}; default {@code <beanName>.<methodName>}. */
  String id() default "";

  /** The topic to consume; may be combined with {@link #topics()}. */
  String topic() default "";

  /** Topics to consume; each entry may also be a comma-separated list. */
  String[] topics() default {};

  /** The consumer group (required). Groups consume independently; members of one share work. */
  String group() default "";

  /** Handlers running at once in this member; default {@code sluice.listener.concurrency}. */
  String concurrency() default "";

  /** {@code UNORDERED} or {@code KEY_ORDERED}; default {@code sluice.listener.ordering}. */
  String ordering() default "";

  /**
   * Deliveries before a message is dead-lettered, at least 1 (1 = no retry); default {@code
   * sluice.listener.max-attempts}.
   */
  String maxAttempts() default "";

  /**
   * The retry backoff as {@code initial[,multiplier[,max[,jitter]]]}, for example {@code
   * "1s,2.0,5m"} (1 s, doubling, capped at 5 minutes) or {@code "500ms"} (fixed); see {@link
   * BackoffFormat}. Default {@code sluice.listener.backoff}.
   */
  String backoff() default "";

  /** The dead-letter topic; default {@code <topic>.dlq}. */
  String deadLetterTopic() default "";

  /**
   * Whether to start with the application context; default {@code sluice.listener.auto-startup}.
   */
  String autoStartup() default "";

  /**
   * {@code AUTO} (default: returning acks, throwing retries) or {@code MANUAL} (the method settles
   * each delivery through its {@link io.sluice.api.Delivery} parameter).
   */
  String ackMode() default "";

  /**
   * Exception types (and their subclasses) that are never retried: the listener throwing one
   * dead-letters the message at once (reason {@code not-retryable}), whatever attempts are left. A
   * payload that cannot be converted is always in this list.
   */
  Class<? extends Throwable>[] notRetryable() default {};

  /**
   * {@code "true"}: a batch listener. The method takes a {@code List} of payloads ({@code
   * List<Order>}, {@code List<String>}, {@code List<byte[]>}) and/or a {@code List<Delivery>} or
   * {@code List<Message>}, each in delivery order, and is called with up to {@link #maxBatchSize()}
   * messages at a time. Returning acks them all; throwing retries each (a retry runs in a batch of
   * its own); see {@link io.sluice.consumer.BatchHandler}. Default false.
   */
  String batch() default "";

  /** The most messages per call of a batch listener, 1 to 10,000; default 100. */
  String maxBatchSize() default "";

  /**
   * How long a batch listener's batch waits to fill, as a duration ({@code "10ms"}, {@code "1s"}),
   * once its first message is ready; default 10 ms.
   */
  String maxBatchWait() default "";

  /**
   * {@code "true"}: the method runs inside the store transaction that acks its messages
   * (exactly-once database effects). On the JDBC store that transaction is Spring's current one on
   * the store's {@code DataSource} while the method runs: {@code JdbcTemplate} writes,
   * {@code @Transactional} methods (they join it) and template sends commit with the ack, or roll
   * back with it when the method throws. With {@link #batch()} the whole batch is one transaction.
   * On the file store the method runs first and the ack follows. Always acknowledged automatically.
   */
  String transactional() default "";
}
