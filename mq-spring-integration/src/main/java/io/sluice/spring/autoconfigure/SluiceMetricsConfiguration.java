package io.sluice.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.spring.actuate.SluiceMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Consumer metrics under {@code sluice.*} when Micrometer and a {@code MeterRegistry} exist. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
class SluiceMetricsConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SluiceMetrics sluiceMetrics(MeterRegistry registry) {
    return new SluiceMetrics(registry);
  }
}
