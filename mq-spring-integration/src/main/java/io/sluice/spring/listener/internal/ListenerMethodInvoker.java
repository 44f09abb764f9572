package io.sluice.spring.listener.internal;

import io.sluice.api.Delivery;
import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.api.MessageHandler;
import io.sluice.spring.core.MessageConversionException;
import io.sluice.spring.core.SluiceMessageConverter;
import io.sluice.spring.listener.Header;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.function.Function;

/**
 * Calls a {@code @SluiceListener} method for each delivery, binding its parameters: {@link
 * Delivery}, {@link Message}, {@link Headers}, {@link Header}-annotated strings, and one payload
 * parameter converted with the {@link SluiceMessageConverter}. Parameters are checked once, when
 * the invoker is built.
 */
public final class ListenerMethodInvoker extends BoundListenerMethod implements MessageHandler {

  /**
   * An invoker of {@code method} on {@code bean}.
   *
   * @throws IllegalStateException when a parameter cannot be bound (two payload parameters, a
   *     {@code @Header} on a non-String)
   */
  public ListenerMethodInvoker(Object bean, Method method, SluiceMessageConverter converter) {
    super(
        bean,
        method,
        converter,
        ListenerMethodInvoker::contextBinder,
        Parameter::getParameterizedType,
        p ->
            "only one parameter can receive the payload, found another at "
                + p.getName()
                + "; annotate headers with @Header or use Delivery/Message/Headers");
  }

  private static Function<Delivery, Object> contextBinder(Parameter p) {
    Header header = p.getAnnotation(Header.class);
    if (header != null) {
      if (p.getType() != String.class) {
        throw new IllegalStateException(
            "@Header parameter "
                + p.getName()
                + " must be a String, found "
                + p.getType().getName());
      }
      return d -> header(d, header);
    }
    Class<?> type = p.getType();
    if (type == Delivery.class) {
      return d -> d;
    }
    if (type == Message.class) {
      return Delivery::message;
    }
    if (type == Headers.class) {
      return Delivery::headers;
    }
    return null;
  }

  private static Object header(Delivery d, Header header) {
    String value = d.headers().lastValue(header.value()).orElse(null);
    if (value == null && header.required()) {
      throw new MessageConversionException(
          "required header \"" + header.value() + "\" is missing from " + where(d));
    }
    return value;
  }

  /** Binds the payload as {@code byte[]}, {@code String}, or converted to {@code type}. */
  static Function<Delivery, Object> payloadBinder(Type type, SluiceMessageConverter converter) {
    if (type == byte[].class) {
      return Delivery::payload;
    }
    if (type == String.class) {
      return Delivery::payloadAsString;
    }
    return d -> {
      try {
        return converter.fromMessage(d.message(), type);
      } catch (MessageConversionException e) {
        throw new MessageConversionException(e.getMessage() + " (" + where(d) + ")", e);
      }
    };
  }

  private static String where(Delivery d) {
    return "topic " + d.topic() + " partition " + d.partition() + " offset " + d.offset();
  }

  @Override
  public void handle(Delivery delivery) throws Exception {
    Object[] args = new Object[binders.size()];
    for (int i = 0; i < args.length; i++) {
      args[i] = binders.get(i).apply(delivery);
    }
    invoke(args);
  }

  /** {@code SimpleClassName.method(ParamType, ...)}, for messages. */
  public static String describe(Method method) {
    StringBuilder s = new StringBuilder(method.getDeclaringClass().getSimpleName());
    s.append('.').append(method.getName()).append('(');
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      s.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
    }
    return s.append(')').toString();
  }
}
