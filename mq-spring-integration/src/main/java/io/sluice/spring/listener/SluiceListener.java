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
}
