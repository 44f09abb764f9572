package io.sluice.spring.autoconfigure;

import io.sluice.consumer.SluiceAdmin;
import io.sluice.dashboard.DashboardApi;
import io.sluice.spring.actuate.SluiceDashboardEndpoint;
import java.time.InstantSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dashboard as the Actuator web endpoint {@code sluicedashboard}: only with {@code
 * sluice.dashboard.enabled=true}, sluice-dashboard and Actuator on the classpath, and the endpoint
 * exposed over the web.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
    name = {
      "io.sluice.dashboard.DashboardApi",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition"
          + ".ConditionalOnAvailableEndpoint"
    })
@ConditionalOnProperty(prefix = "sluice.dashboard", name = "enabled", havingValue = "true")
@ConditionalOnAvailableEndpoint(
    endpoint = SluiceDashboardEndpoint.class,
    exposure = EndpointExposure.WEB)
class SluiceDashboardConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  SluiceDashboardEndpoint sluiceDashboardEndpoint(SluiceAdmin admin, SluiceProperties properties) {
    SluiceProperties.Dashboard settings = properties.getDashboard();
    DashboardApi api =
        new DashboardApi(
            admin, InstantSource.system(), settings.getSampleInterval(), settings.getHistorySize());
    api.startSampling();
    return new SluiceDashboardEndpoint(api);
  }
}
