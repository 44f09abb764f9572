package io.sluice.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.Sluice;
import io.sluice.api.error.StorageLockedException;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spi.Storage;
import io.sluice.spi.StorageHealth;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.spring.actuate.SluiceDashboardEndpoint;
import io.sluice.spring.actuate.SluiceEndpoint;
import io.sluice.spring.actuate.SluiceHealthIndicator;
import io.sluice.spring.actuate.SluiceMetrics;
import io.sluice.spring.core.JacksonMessageConverter;
import io.sluice.spring.core.SluiceMessageConverter;
import io.sluice.spring.core.SluiceTemplate;
import io.sluice.spring.listener.ListenerEndpointRegistry;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class SluiceAutoConfigurationTest {
  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class))
        .withPropertyValues("sluice.storage.file.directory=" + dir.resolve("store"));
  }

  @Configuration(proxyBeanMethods = false)
  static class MemoryStore {
    @Bean
    Storage storage() {
      return new InMemoryStorage(new SettableClock());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnSluice {
    @Bean(destroyMethod = "close")
    Sluice sluice() {
      return Sluice.builder().storage(new InMemoryStorage(new SettableClock())).build();
    }
  }

  @Test
  void defaultsToTheFileStoreInTheConfiguredDirectory() {
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(FileStorage.class);
              assertThat(context).hasSingleBean(Sluice.class);
              assertThat(context).hasSingleBean(SluiceTemplate.class);
              assertThat(context).hasSingleBean(SluiceAdmin.class);
              assertThat(context).hasSingleBean(ListenerEndpointRegistry.class);
              assertThat(context.getBean(Sluice.class).storage())
                  .isSameAs(context.getBean(Storage.class));
              assertThat(Files.isDirectory(dir.resolve("store"))).isTrue();
            });
  }

  @Test
  void theDefaultDirectoryIsNamedInTheProperties() {
    SluiceProperties properties = new SluiceProperties();
    assertThat(properties.getStorage().getFile().getDirectory()).isEqualTo(Path.of("sluice-data"));
    assertThat(properties.getStorage().getType()).isEqualTo(SluiceProperties.StorageType.FILE);
  }

  @Test
  void aUserStorageWins() {
    runner()
        .withUserConfiguration(MemoryStore.class)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(FileStorage.class);
              assertThat(context.getBean(Sluice.class).storage())
                  .isInstanceOf(InMemoryStorage.class);
              assertThat(Files.exists(dir.resolve("store"))).isFalse();
            });
  }

  @Test
  void aUserSluiceWinsAndNoStoreIsOpened() {
    runner()
        .withUserConfiguration(OwnSluice.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(Sluice.class);
              assertThat(context).doesNotHaveBean(Storage.class);
              assertThat(context.getBean(Sluice.class).storage())
                  .isInstanceOf(InMemoryStorage.class);
              assertThat(context).hasSingleBean(SluiceTemplate.class);
              assertThat(Files.exists(dir.resolve("store"))).isFalse();
            });
  }

  @Test
  void disabledConfiguresNothing() {
    runner()
        .withPropertyValues("sluice.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(Sluice.class);
              assertThat(context).doesNotHaveBean(Storage.class);
              assertThat(context).doesNotHaveBean(SluiceTemplate.class);
            });
  }

  @Test
  void withoutTheRuntimeOnTheClasspathNothingIsConfigured() {
    runner()
        .withClassLoader(new FilteredClassLoader(Sluice.class))
        .run(context -> assertThat(context).doesNotHaveBean(SluiceTemplate.class));
  }

  @Test
  void withoutTheFileBackendTheStartupSaysWhichDependencyToAdd() {
    runner()
        .withClassLoader(new FilteredClassLoader(FileStorage.class))
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("sluice.storage.type=file")
                  .hasMessageContaining("io.sluice:sluice-storage-file");
            });
  }

  @Test
  void jdbcUsesTheApplicationsDataSource() {
    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
    h2.setURL("jdbc:h2:mem:auto-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    runner()
        .withPropertyValues("sluice.storage.type=jdbc", "sluice.storage.jdbc.schema=queue")
        .withBean(javax.sql.DataSource.class, () -> h2)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(io.sluice.storage.jdbc.JdbcStorage.class);
              assertThat(context).doesNotHaveBean(FileStorage.class);
              assertThat(context).hasSingleBean(io.sluice.spring.core.TransactionalSender.class);
              assertThat(context.getBean(Storage.class).capabilities().name()).isEqualTo("h2");
              try (var c = h2.getConnection();
                  var rs = c.getMetaData().getSchemas()) {
                java.util.List<String> schemas = new java.util.ArrayList<>();
                while (rs.next()) {
                  schemas.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
                }
                assertThat(schemas).contains("queue");
              }
              assertThat(Files.exists(dir.resolve("store"))).isFalse();
            });
  }

  @Test
  void jdbcWithoutTheJdbcBackendSaysWhichDependencyToAdd() {
    runner()
        .withPropertyValues("sluice.storage.type=jdbc")
        .withClassLoader(new FilteredClassLoader(io.sluice.storage.jdbc.JdbcStorage.class))
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("io.sluice:sluice-storage-jdbc"));
  }

  @Test
  void customizersAdjustTheSluiceBuilder() {
    SettableClock clock = new SettableClock();
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withBean(
            SluiceCustomizer.class,
            () ->
                new SluiceCustomizer() {
                  @Override
                  public void customize(Sluice.Builder builder) {
                    builder.clock(clock);
                  }
                })
        .run(context -> assertThat(context.getBean(Sluice.class).clock()).isSameAs(clock));
  }

  @Test
  void jdbcWithoutADataSourceFailsClearly() {
    runner()
        .withPropertyValues("sluice.storage.type=jdbc")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("sluice.storage.type=jdbc");
            });
  }

  @Test
  void badPropertyValuesFailNamingTheProperty() {
    runner()
        .withPropertyValues("sluice.listener.concurrency=0")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining(
                        "sluice.listener.concurrency must be 1 to 10000, found 0"));
    runner()
        .withPropertyValues("sluice.listener.backoff=fast")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("sluice.listener.backoff must be")
                    .hasMessageContaining("found \"fast\""));
    runner()
        .withPropertyValues("sluice.storage.type=mongo")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("sluice.storage.type")
                    .hasStackTraceContaining("mongo"));
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues("sluice.topics.orders.partitions=0")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("sluice.topics.orders is invalid"));
  }

  @Test
  void topicsInThePropertiesAreCreated() {
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues("sluice.topics.orders.partitions=4")
        .run(
            context ->
                assertThat(context.getBean(SluiceAdmin.class).describeTopic("orders").partitions())
                    .hasSize(4));
  }

  @Test
  void jsonConverterWhenJacksonIsPresentPlainOtherwise() {
    runner()
        .withUserConfiguration(MemoryStore.class)
        .run(
            context ->
                assertThat(context.getBean(SluiceMessageConverter.class))
                    .isInstanceOf(JacksonMessageConverter.class));
  }

  @Test
  void healthIndicatorIsUpAndCanBeTurnedOff() {
    runner()
        .withUserConfiguration(MemoryStore.class)
        .run(
            context ->
                assertThat(context.getBean(SluiceHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP));
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues("management.health.sluice.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(SluiceHealthIndicator.class));
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withClassLoader(
            new FilteredClassLoader(
                org.springframework.boot.health.contributor.HealthIndicator.class))
        .run(context -> assertThat(context).doesNotHaveBean(SluiceHealthIndicator.class));
  }

  @Test
  void healthIsDownWhenTheStoreSaysSo() {
    Storage memory = new InMemoryStorage(new SettableClock());
    Storage failed =
        (Storage)
            Proxy.newProxyInstance(
                Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, method, args) ->
                    method.getName().equals("health")
                        ? new StorageHealth(false, "disk failed")
                        : method.invoke(memory, args));
    var health = new SluiceHealthIndicator(failed).health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("detail", "disk failed");
  }

  @Test
  void metricsAreBoundWhenAMeterRegistryExists() {
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> assertThat(context).hasSingleBean(SluiceMetrics.class));
    runner()
        .withUserConfiguration(MemoryStore.class)
        .run(context -> assertThat(context).doesNotHaveBean(SluiceMetrics.class));
  }

  @Test
  void endpointWhenExposed() {
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues("management.endpoints.web.exposure.include=sluice")
        .run(context -> assertThat(context).hasSingleBean(SluiceEndpoint.class));
  }

  @Test
  void dashboardOnlyWhenEnabledExposedAndOnTheClasspath() {
    String exposed = "management.endpoints.web.exposure.include=sluicedashboard";
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues(exposed)
        .run(context -> assertThat(context).doesNotHaveBean(SluiceDashboardEndpoint.class));
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues("sluice.dashboard.enabled=true")
        .run(context -> assertThat(context).doesNotHaveBean(SluiceDashboardEndpoint.class));
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues("sluice.dashboard.enabled=true", exposed)
        .run(context -> assertThat(context).hasSingleBean(SluiceDashboardEndpoint.class));
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withClassLoader(new FilteredClassLoader("io.sluice.dashboard"))
        .withPropertyValues("sluice.dashboard.enabled=true", exposed)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(SluiceDashboardEndpoint.class);
            });
  }

  @Test
  void badDashboardSettingsFailTheStartupNamingTheProperty() {
    runner()
        .withUserConfiguration(MemoryStore.class)
        .withPropertyValues(
            "sluice.dashboard.enabled=true",
            "management.endpoints.web.exposure.include=sluicedashboard",
            "sluice.dashboard.sample-interval=10ms")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "sluice.dashboard.sample-interval must be at least 100ms"));
  }

  @Test
  void aLockedDirectoryIsExplainedByTheFailureAnalyzer() {
    Path store = dir.resolve("store");
    try (FileStorage holder = FileStorage.open(FileStorageConfig.builder(store).build())) {
      runner()
          .run(
              context -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis =
                    new SluiceFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).contains("lock file");
                assertThat(analysis.getAction()).contains("sluice.storage.file.directory");
                assertThat(analysis.getCause()).isInstanceOf(StorageLockedException.class);
              });
    }
  }
}
