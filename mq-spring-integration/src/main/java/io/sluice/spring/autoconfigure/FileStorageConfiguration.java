package io.sluice.spring.autoconfigure;

import io.sluice.spi.Storage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embedded file store, the default backend ({@code sluice.storage.type=file}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(FileStorage.class)
@ConditionalOnProperty(
    prefix = "sluice.storage",
    name = "type",
    havingValue = "file",
    matchIfMissing = true)
class FileStorageConfiguration {
  private static final Logger log = LoggerFactory.getLogger(FileStorageConfiguration.class);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean({Storage.class, io.sluice.Sluice.class})
  FileStorage sluiceStorage(
      SluiceProperties properties, ObjectProvider<SluiceCustomizer> customizers) {
    SluiceProperties.File file = properties.getStorage().getFile();
    FileStorageConfig.Builder builder =
        FileStorageConfig.builder(file.getDirectory().toAbsolutePath())
            .durability(durability(file));
    customizers.orderedStream().forEach(c -> c.customizeFileStorage(builder));
    FileStorageConfig config = builder.build();
    log.info("Opening the Sluice file store in {}", config.directory());
    return FileStorage.open(config);
  }

  private static Durability durability(SluiceProperties.File file) {
    return switch (file.getDurability()) {
      case SYNC -> Durability.SYNC;
      case INTERVAL -> Durability.interval(file.getSyncInterval());
      case OS -> Durability.OS;
    };
  }
}
