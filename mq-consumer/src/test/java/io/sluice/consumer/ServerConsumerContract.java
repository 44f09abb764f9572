package io.sluice.consumer;

import io.sluice.spi.Storage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.time.InstantSource;
import java.util.List;

/**
 * The consumer runtime suite on a database server ({@link TestServer}, registered by the subclass):
 * every test gets a fresh schema, dropped after the class.
 */
abstract class ServerConsumerContract extends ConsumerContract {
  private String schema;

  /** The server, registered as an extension of the subclass. */
  abstract TestServer server();

  @Override
  protected Storage createStorage(InstantSource clock) {
    if (schema == null) {
      schema = server().newSchema();
    }
    return JdbcStorage.create(
        server().url(),
        server().user(),
        server().password(),
        JdbcStorageConfig.builder().schema(schema).clock(clock).build());
  }

  @Override
  protected List<String> crashingConsumerArgs() {
    return List.of(server().kind(), schema);
  }

  @Override
  protected int seedOrders() {
    return 400;
  }
}
