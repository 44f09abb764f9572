package io.sluice.spring.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@link SluiceListener} method parameter of type {@code String} to a message header (its
 * last value when the name repeats).
 *
 * <pre>{@code
 * @SluiceListener(topic = "orders", group = "audit")
 * void on(String body, @Header("tenant") String tenant) { ... }
 * }</pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Header {

  /** The header name. */
  String value();

  /**
   * Whether the header must be present. A missing required header fails the delivery, which is
   * dead-lettered at once; an optional one binds {@code null}.
   */
  boolean required() default true;
}
