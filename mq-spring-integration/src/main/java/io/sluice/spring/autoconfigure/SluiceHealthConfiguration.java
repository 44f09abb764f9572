package io.sluice.spring.autoconfigure;

import io.sluice.Sluice;
import io.sluice.spring.actuate.SluiceHealthIndicator;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code sluice} health indicator; off with {@code management.health.sluice.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("sluice")
class SluiceHealthConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "sluiceHealthIndicator")
  SluiceHealthIndicator sluiceHealthIndicator(
      Sluice sluice, ObjectProvider<ListenerEndpointRegistry> listeners) {
    return new SluiceHealthIndicator(sluice.storage(), listeners.getIfUnique());
  }
}
