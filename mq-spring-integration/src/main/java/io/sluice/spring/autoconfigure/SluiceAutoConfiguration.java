package io.sluice.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.sluice.Sluice;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.SluiceException;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spi.Storage;
import io.sluice.spring.core.PlainMessageConverter;
import io.sluice.spring.core.SendListener;
import io.sluice.spring.core.SluiceMessageConverter;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.core.TransactionalSender;
import io.sluice.spring.listener.ListenerDefaults;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import io.sluice.spring.listener.ListenerTransactions;
import io.sluice.spring.listener.SluiceListenerBeanPostProcessor;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.util.ClassUtils;

/**
 * Auto-configures Sluice: the store chosen by {@code sluice.storage.type} (the embedded file store
 * by default, or the JDBC store on the application's {@code DataSource}), a {@link Sluice}, a
 * {@link SluiceTemplate}, the {@code @SluiceListener} machinery, and (when Actuator and Micrometer
 * are present) health, metrics and the {@code sluice} endpoint. Every bean backs off when the
 * application declares its own; {@code sluice.enabled=false} turns it all off.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
      "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure"
          + ".CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass(Sluice.class)
@ConditionalOnProperty(prefix = "sluice", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SluiceProperties.class)
@Import({
  FileStorageConfiguration.class,
  JdbcStorageConfiguration.class,
  JdbcTransactionConfiguration.class,
  SluiceMetricsConfiguration.class,
  SluiceHealthConfiguration.class,
  SluiceEndpointConfiguration.class,
  SluiceDashboardConfiguration.class
})
public final class SluiceAutoConfiguration {
  private static final boolean JACKSON_PRESENT =
      ClassUtils.isPresent(
          "tools.jackson.databind.ObjectMapper", SluiceAutoConfiguration.class.getClassLoader());

  /** Instantiated by Spring. */
  public SluiceAutoConfiguration() {}

  /** Discovers {@code @SluiceListener} methods. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnMissingBean
  static SluiceListenerBeanPostProcessor sluiceListenerBeanPostProcessor() {
    return new SluiceListenerBeanPostProcessor();
  }

  /**
   * The entry point, on the store, with every {@link ConsumerListener} bean as metrics hooks and
   * the application's {@link ObservationRegistry} (unless {@code
   * sluice.observation.enabled=false}).
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Sluice sluice(
      ObjectProvider<Storage> storage,
      SluiceProperties properties,
      ObjectProvider<ConsumerListener> listeners,
      ObjectProvider<SluiceCustomizer> customizers,
      ObjectProvider<ObservationRegistry> observationRegistry) {
    Storage store = storage.getIfUnique(() -> null);
    if (store == null) {
      throw missingStorage(properties);
    }
    List<ConsumerListener> hooks = listeners.orderedStream().toList();
    Sluice.Builder builder =
        Sluice.builder().storage(store).listener(CompositeConsumerListener.of(hooks));
    observationRegistry(properties, observationRegistry).ifPresent(builder::observationRegistry);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    Sluice sluice = builder.build();
    try {
      createTopics(sluice, properties);
    } catch (RuntimeException e) {
      sluice.close();
      throw e;
    }
    return sluice;
  }

  /** The application's registry, when there is one and observation is enabled. */
  static java.util.Optional<ObservationRegistry> observationRegistry(
      SluiceProperties properties, ObjectProvider<ObservationRegistry> registry) {
    if (!properties.getObservation().isEnabled()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.ofNullable(registry.getIfUnique());
  }

  private static void createTopics(Sluice sluice, SluiceProperties properties) {
    properties
        .getTopics()
        .forEach(
            (name, topic) -> {
              try {
                sluice.admin().createTopic(name, topic.toConfig());
              } catch (SluiceException e) {
                throw new InvalidConfigException(
                    "sluice.topics." + name + " is invalid: " + e.getMessage());
              }
            });
  }

  private static InvalidConfigException missingStorage(SluiceProperties properties) {
    String type = properties.getStorage().getType().name().toLowerCase(Locale.ROOT);
    String module = "file".equals(type) ? "sluice-storage-file" : "sluice-storage-jdbc";
    return new InvalidConfigException(
        "sluice.storage.type="
            + type
            + " but there is no single Storage bean: add the dependency io.sluice:"
            + module
            + " (or declare exactly one Storage bean, or set sluice.enabled=false)");
  }

  /** Topics, groups, lag and dead letters. */
  @Bean
  @ConditionalOnMissingBean
  SluiceAdmin sluiceAdmin(Sluice sluice) {
    return sluice.admin();
  }

  /** JSON with the application's Jackson mapper when Jackson 3 is present; bytes and text else. */
  @Bean
  @ConditionalOnMissingBean
  SluiceMessageConverter sluiceMessageConverter(BeanFactory beanFactory) {
    return JACKSON_PRESENT ? JacksonConverters.create(beanFactory) : new PlainMessageConverter();
  }

  /** Sends, joining Spring transactions on the JDBC store. */
  @Bean
  @ConditionalOnMissingBean
  SluiceTemplate sluiceTemplate(
      Sluice sluice,
      SluiceMessageConverter converter,
      ObjectProvider<TransactionalSender> transactionalSender,
      ObjectProvider<SendListener> sendListeners,
      SluiceProperties properties,
      ObjectProvider<ObservationRegistry> observationRegistry) {
    List<SendListener> all = sendListeners.orderedStream().toList();
    SendListener sendListener =
        (topic, latency, failure) -> all.forEach(l -> l.onSend(topic, latency, failure));
    return new SluiceTemplate(
        sluice.producer(),
        converter,
        transactionalSender.getIfUnique(),
        sendListener,
        observationRegistry(properties, observationRegistry).orElse(ObservationRegistry.NOOP));
  }

  /** The listeners, started after the context is refreshed. */
  @Bean
  @ConditionalOnMissingBean
  ListenerEndpointRegistry sluiceListenerEndpointRegistry(
      Sluice sluice,
      SluiceProperties properties,
      ObjectProvider<SluiceCustomizer> customizers,
      ObjectProvider<ListenerTransactions> transactions) {
    return new ListenerEndpointRegistry(
        sluice,
        listenerDefaults(properties.getListener(), sluice.storage()),
        (id, builder) -> customizers.orderedStream().forEach(c -> c.customizeListener(id, builder)),
        transactions.getIfUnique(() -> ListenerTransactions.NONE));
  }

  /**
   * {@code sluice.listener.*}; without {@code poll-interval}, the store's default idle poll (1 s
   * where notifications cross processes, see {@link
   * io.sluice.consumer.GroupConfig#defaultPollInterval}).
   */
  static ListenerDefaults listenerDefaults(SluiceProperties.Listener listener, Storage storage) {
    ListenerDefaults d = listener.toDefaults();
    if (listener.isPollIntervalSet()) {
      return d;
    }
    return new ListenerDefaults(
        d.concurrency(),
        d.ordering(),
        d.maxAttempts(),
        d.backoff(),
        d.autoStartup(),
        d.shutdownTimeout(),
        io.sluice.consumer.GroupConfig.defaultPollInterval(storage.capabilities()),
        d.createMissingTopics(),
        d.missingTopicPartitions(),
        d.maxHandlerTime());
  }
}
