package io.sluice.spring.autoconfigure;

import io.sluice.consumer.SluiceAdmin;
import io.sluice.spring.actuate.SluiceEndpoint;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Actuator endpoint {@code sluice}, when Actuator is present and the endpoint is exposed. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name =
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition"
            + ".ConditionalOnAvailableEndpoint")
@ConditionalOnAvailableEndpoint(SluiceEndpoint.class)
class SluiceEndpointConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SluiceEndpoint sluiceEndpoint(
      SluiceAdmin admin, ObjectProvider<ListenerEndpointRegistry> registry) {
    return new SluiceEndpoint(admin, registry.getIfAvailable());
  }
}
