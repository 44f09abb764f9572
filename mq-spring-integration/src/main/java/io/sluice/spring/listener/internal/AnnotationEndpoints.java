package io.sluice.spring.listener.internal;

import io.sluice.api.Ordering;
import io.sluice.api.error.SluiceException;
import io.sluice.consumer.AckMode;
import io.sluice.spring.core.SluiceMessageConverter;
import io.sluice.spring.listener.BackoffFormat;
import io.sluice.spring.listener.ListenerEndpoint;
import io.sluice.spring.listener.SluiceListener;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * Turns a {@link SluiceListener} on a bean method into a {@link ListenerEndpoint}: resolves
 * placeholders and SpEL in every attribute, parses the values, and fails with a message naming the
 * method and the attribute when one does not parse.
 */
public final class AnnotationEndpoints {
  private final ConfigurableListableBeanFactory beanFactory;
  private final BeanExpressionContext expressionContext;

  /** Resolves values against {@code beanFactory}'s environment and beans. */
  public AnnotationEndpoints(ConfigurableListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
    this.expressionContext = new BeanExpressionContext(beanFactory, null);
  }

  /**
   * The endpoint for {@code annotation} on {@code method} of bean {@code beanName}.
   *
   * @throws IllegalStateException naming the method and attribute when a value is invalid
   */
  public ListenerEndpoint create(
      SluiceListener annotation,
      Object bean,
      Method method,
      String beanName,
      SluiceMessageConverter converter) {
    String where = "@SluiceListener on " + ListenerMethodInvoker.describe(method);
    String id = resolve(annotation.id());
    if (id.isEmpty()) {
      id = beanName + "." + method.getName();
    }
    String group = resolve(annotation.group());
    if (group.isEmpty()) {
      throw new IllegalStateException(where + ": group is required (the consumer group name)");
    }
    boolean batch =
        Boolean.TRUE.equals(parse(where, "batch", annotation.batch(), AnnotationEndpoints::bool));
    ListenerMethodInvoker invoker = null;
    BatchListenerMethodInvoker batchInvoker = null;
    try {
      if (batch) {
        batchInvoker = new BatchListenerMethodInvoker(bean, method, converter);
      } else {
        invoker = new ListenerMethodInvoker(bean, method, converter);
      }
    } catch (IllegalStateException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
    try {
      return new ListenerEndpoint(
          id,
          group,
          topics(annotation, where),
          parse(where, "concurrency", annotation.concurrency(), Integer::valueOf),
          parse(where, "ordering", annotation.ordering(), AnnotationEndpoints::ordering),
          parse(where, "maxAttempts", annotation.maxAttempts(), Integer::valueOf),
          parse(where, "backoff", annotation.backoff(), BackoffFormat::parse),
          emptyToNull(resolve(annotation.deadLetterTopic())),
          parse(where, "autoStartup", annotation.autoStartup(), AnnotationEndpoints::bool),
          parse(where, "ackMode", annotation.ackMode(), AnnotationEndpoints::ackMode),
          invoker,
          ListenerMethodInvoker.describe(method),
          List.of(annotation.notRetryable()),
          batchInvoker,
          parse(where, "maxBatchSize", annotation.maxBatchSize(), Integer::valueOf),
          parse(where, "maxBatchWait", annotation.maxBatchWait(), DurationStyle::detectAndParse),
          parse(where, "transactional", annotation.transactional(), AnnotationEndpoints::bool));
    } catch (SluiceException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
  }

  private List<String> topics(SluiceListener annotation, String where) {
    List<String> topics = new ArrayList<>();
    List<String> raw = new ArrayList<>(List.of(annotation.topics()));
    raw.add(annotation.topic());
    for (String entry : raw) {
      for (String topic : resolve(entry).split(",")) {
        if (!topic.isBlank() && !topics.contains(topic.trim())) {
          topics.add(topic.trim());
        }
      }
    }
    if (topics.isEmpty()) {
      throw new IllegalStateException(where + ": topic or topics is required");
    }
    return topics;
  }

  private <T> T parse(String where, String attribute, String raw, Function<String, T> parser) {
    String value = resolve(raw);
    if (value.isEmpty()) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      String why = e instanceof NumberFormatException ? "not a number" : e.getMessage();
      throw new IllegalStateException(
          where + ": " + attribute + " has an invalid value \"" + value + "\": " + why, e);
    }
  }

  private String resolve(String value) {
    String resolved = beanFactory.resolveEmbeddedValue(value);
    BeanExpressionResolver resolver = beanFactory.getBeanExpressionResolver();
    if (resolved != null && resolver != null && resolved.contains("#{")) {
      Object evaluated = resolver.evaluate(resolved, expressionContext);
      resolved = evaluated == null ? "" : evaluated.toString();
    }
    return resolved == null ? "" : resolved.trim();
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static Ordering ordering(String value) {
    try {
      return Ordering.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected UNORDERED or KEY_ORDERED", e);
    }
  }

  private static AckMode ackMode(String value) {
    try {
      return AckMode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected AUTO or MANUAL", e);
    }
  }

  private static Boolean bool(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }
}
