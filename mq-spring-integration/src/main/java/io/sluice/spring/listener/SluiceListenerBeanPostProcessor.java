package io.sluice.spring.listener;

import io.sluice.spring.core.SluiceMessageConverter;
import io.sluice.spring.listener.internal.AnnotationEndpoints;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@link SluiceListener} methods on every bean and registers one {@link ListenerEndpoint}
 * each with the {@link ListenerEndpointRegistry}. Endpoints found while the context starts are
 * handed over once every singleton exists, so this post-processor never creates the registry (and
 * the store behind it) early; beans created later register at once.
 */
public final class SluiceListenerBeanPostProcessor
    implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton, Ordered {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<ListenerEndpoint> pending = new ArrayList<>();
  private ConfigurableListableBeanFactory beanFactory;
  private AnnotationEndpoints endpoints;
  private ListenerEndpointRegistry registry;

  /** A post-processor; the auto-configuration declares it. */
  public SluiceListenerBeanPostProcessor() {}

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    if (!(beanFactory instanceof ConfigurableListableBeanFactory configurable)) {
      throw new IllegalStateException(
          "@SluiceListener needs a ConfigurableListableBeanFactory, found "
              + beanFactory.getClass().getName());
    }
    this.beanFactory = configurable;
    this.endpoints = new AnnotationEndpoints(configurable);
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (!AnnotationUtils.isCandidateClass(type, SluiceListener.class)) {
      return bean;
    }
    Map<Method, SluiceListener> methods =
        MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<SluiceListener>)
                m -> AnnotatedElementUtils.findMergedAnnotation(m, SluiceListener.class));
    if (methods.isEmpty()) {
      return bean;
    }
    SluiceMessageConverter converter = beanFactory.getBean(SluiceMessageConverter.class);
    methods.forEach(
        (method, annotation) -> {
          Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
          register(endpoints.create(annotation, bean, invocable, beanName, converter));
        });
    return bean;
  }

  private void register(ListenerEndpoint endpoint) {
    ListenerEndpointRegistry target;
    lock.lock();
    try {
      if (registry == null) {
        pending.add(endpoint);
        return;
      }
      target = registry;
    } finally {
      lock.unlock();
    }
    target.register(endpoint);
  }

  @Override
  public void afterSingletonsInstantiated() {
    ListenerEndpointRegistry target = beanFactory.getBean(ListenerEndpointRegistry.class);
    List<ListenerEndpoint> found;
    lock.lock();
    try {
      registry = target;
      found = List.copyOf(pending);
      pending.clear();
    } finally {
      lock.unlock();
    }
    found.forEach(target::register);
  }
}
