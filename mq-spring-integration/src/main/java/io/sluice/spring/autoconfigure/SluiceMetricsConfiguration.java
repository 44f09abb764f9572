package io.sluice.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.sluice.spring.actuate.SluiceMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Consumer metrics under {@code sluice.*} when Micrometer and a {@code MeterRegistry} exist. While
 * Sluice is observed (an {@code ObservationRegistry} and {@code sluice.observation.enabled}), the
 * {@code sluice.send} and {@code sluice.process} timers come from the observations, not from {@link
 * SluiceMetrics}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
class SluiceMetricsConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SluiceMetrics sluiceMetrics(
      MeterRegistry registry,
      SluiceProperties properties,
      ObjectProvider<ObservationRegistry> observationRegistry) {
    boolean observed =
        SluiceAutoConfiguration.observationRegistry(properties, observationRegistry)
            .filter(r -> !r.isNoop())
            .isPresent();
    return new SluiceMetrics(registry, !observed);
  }
}
