package io.sluice.spring.autoconfigure;

import io.sluice.Sluice;
import io.sluice.consumer.ConsumerGroupBuilder;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorageConfig;

/**
 * Adjusts what the auto-configuration builds, for what {@code sluice.*} properties cannot express
 * (a clock, segment sizes, a producer configuration, per-listener settings). Declare any number of
 * beans of this type; they run in {@link org.springframework.core.annotation.Order} order. Every
 * method does nothing by default.
 *
 * <pre>{@code
 * @Bean
 * SluiceCustomizer bigSegments() {
 *   return new SluiceCustomizer() {
 *     @Override
 *     public void customizeFileStorage(FileStorageConfig.Builder builder) {
 *       builder.segmentBytes(256 << 20);
 *     }
 *   };
 * }
 * }</pre>
 */
public interface SluiceCustomizer {

  /** Adjusts the {@link Sluice} before it is built (clock, producer configuration, listener). */
  default void customize(Sluice.Builder builder) {}

  /** Adjusts the file store's configuration (only with {@code sluice.storage.type=file}). */
  default void customizeFileStorage(FileStorageConfig.Builder builder) {}

  /** Adjusts the JDBC store's configuration (only with {@code sluice.storage.type=jdbc}). */
  default void customizeJdbcStorage(JdbcStorageConfig.Builder builder) {}

  /** Adjusts one {@code @SluiceListener}'s consumer group before it starts. */
  default void customizeListener(String listenerId, ConsumerGroupBuilder builder) {}
}
