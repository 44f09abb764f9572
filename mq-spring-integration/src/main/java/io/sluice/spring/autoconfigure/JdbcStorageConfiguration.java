package io.sluice.spring.autoconfigure;

import io.sluice.api.error.InvalidConfigException;
import io.sluice.spi.Storage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JDBC store on the application's {@code DataSource} ({@code sluice.storage.type=jdbc}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcStorage.class)
@ConditionalOnProperty(prefix = "sluice.storage", name = "type", havingValue = "jdbc")
class JdbcStorageConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean({Storage.class, io.sluice.Sluice.class})
  JdbcStorage sluiceStorage(
      ObjectProvider<DataSource> dataSources,
      SluiceProperties properties,
      ObjectProvider<SluiceCustomizer> customizers) {
    DataSource dataSource = dataSources.getIfUnique();
    if (dataSource == null) {
      throw new InvalidConfigException(
          "sluice.storage.type=jdbc needs the application's DataSource, but there is no single"
              + " DataSource bean (none, or several without @Primary); configure"
              + " spring.datasource.url, or declare a Storage bean yourself");
    }
    SluiceProperties.Jdbc jdbc = properties.getStorage().getJdbc();
    JdbcStorageConfig.Builder builder =
        JdbcStorageConfig.builder().schema(jdbc.getSchema()).migrateOnStart(jdbc.isMigrate());
    customizers.orderedStream().forEach(c -> c.customizeJdbcStorage(builder));
    return JdbcStorage.create(dataSource, builder.build());
  }
}
