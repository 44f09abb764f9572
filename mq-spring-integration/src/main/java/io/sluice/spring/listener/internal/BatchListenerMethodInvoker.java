package io.sluice.spring.listener.internal;

import io.sluice.api.Delivery;
import io.sluice.api.Message;
import io.sluice.consumer.BatchHandler;
import io.sluice.spring.core.MessageConversionException;
import io.sluice.spring.core.SluiceMessageConverter;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Calls a batch {@code @SluiceListener} method with each batch: every parameter is a {@code List}
 * in delivery order, of {@link Delivery}, of {@link Message}, or of payloads (one such parameter:
 * {@code byte[]}, {@code String}, or a type converted with the {@link SluiceMessageConverter}). A
 * payload that cannot be converted fails the batch with {@link MessageConversionException}; its
 * deliveries are then retried one by one, so only that message is dead-lettered. Parameters are
 * checked once, when the invoker is built.
 */
public final class BatchListenerMethodInvoker extends BoundListenerMethod implements BatchHandler {

  /**
   * An invoker of {@code method} on {@code bean}.
   *
   * @throws IllegalStateException when a parameter is not a {@code List} of a bindable type, or two
   *     take payloads
   */
  public BatchListenerMethodInvoker(Object bean, Method method, SluiceMessageConverter converter) {
    super(
        bean,
        method,
        converter,
        BatchListenerMethodInvoker::contextBinder,
        BatchListenerMethodInvoker::elementType,
        p -> "a batch listener takes one list of payloads, found another at " + p.getName());
    if (binders.isEmpty()) {
      throw new IllegalStateException("a batch listener needs a List parameter");
    }
  }

  private static Function<Delivery, Object> contextBinder(Parameter p) {
    Type element = elementType(p);
    if (element == Delivery.class) {
      return d -> d;
    }
    if (element == Message.class) {
      return Delivery::message;
    }
    return null;
  }

  private static Type elementType(Parameter p) {
    if (p.getType() != List.class
        || !(p.getParameterizedType() instanceof ParameterizedType list)) {
      throw new IllegalStateException(
          "every parameter of a batch listener is a List (of payloads, Delivery or Message),"
              + " found "
              + p.getParameterizedType().getTypeName()
              + " "
              + p.getName());
    }
    return list.getActualTypeArguments()[0];
  }

  @Override
  public void handle(List<Delivery> batch) throws Exception {
    Object[] args = new Object[binders.size()];
    for (int i = 0; i < args.length; i++) {
      List<Object> values = new ArrayList<>(batch.size());
      for (Delivery d : batch) {
        values.add(binders.get(i).apply(d));
      }
      args[i] = values;
    }
    invoke(args);
  }
}
