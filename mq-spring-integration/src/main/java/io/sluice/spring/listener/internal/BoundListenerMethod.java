package io.sluice.spring.listener.internal;

import io.sluice.api.Delivery;
import io.sluice.spring.core.SluiceMessageConverter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.util.ReflectionUtils;

/**
 * A {@code @SluiceListener} method on its bean with one binder per parameter, built and checked
 * once: each parameter is bound from the delivery's context, or it is the one parameter that takes
 * the payload, converted with the {@link SluiceMessageConverter}.
 */
abstract class BoundListenerMethod {
  private final Object bean;
  private final Method method;

  /** Each parameter's binder, in order. */
  final List<Function<Delivery, Object>> binders;

  /**
   * Binds the parameters of {@code method}.
   *
   * @param contextBinder a parameter's binder when it does not take the payload, else null; throws
   *     {@link IllegalStateException} for a parameter that cannot be bound
   * @param payloadType the type the payload parameter takes
   * @param secondPayload the message when a second parameter would take the payload
   */
  BoundListenerMethod(
      Object bean,
      Method method,
      SluiceMessageConverter converter,
      Function<Parameter, Function<Delivery, Object>> contextBinder,
      Function<Parameter, Type> payloadType,
      Function<Parameter, String> secondPayload) {
    this.bean = bean;
    this.method = method;
    ReflectionUtils.makeAccessible(method);
    Parameter[] parameters = method.getParameters();
    List<Function<Delivery, Object>> built = new ArrayList<>(parameters.length);
    boolean payloadBound = false;
    for (Parameter p : parameters) {
      Function<Delivery, Object> binder = contextBinder.apply(p);
      if (binder == null) {
        if (payloadBound) {
          throw new IllegalStateException(secondPayload.apply(p));
        }
        payloadBound = true;
        binder = ListenerMethodInvoker.payloadBinder(payloadType.apply(p), converter);
      }
      built.add(binder);
    }
    this.binders = List.copyOf(built);
  }

  /** Calls the method with {@code args}, throwing what the method threw. */
  final void invoke(Object[] args) throws Exception {
    try {
      method.invoke(bean, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return ListenerMethodInvoker.describe(method);
  }
}
