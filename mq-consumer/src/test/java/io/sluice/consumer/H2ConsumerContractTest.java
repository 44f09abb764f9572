package io.sluice.consumer;

import io.sluice.spi.Storage;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The consumer runtime suite on the JDBC backend over a private in-memory H2 database. */
class H2ConsumerContractTest extends ConsumerContract {
  private String url;

  @Override
  protected Storage createStorage(InstantSource clock) {
    if (url == null) {
      url =
          "jdbc:h2:mem:sluice_cc_"
              + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
              + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    }
    return JdbcStorage.create(url, "sa", "", JdbcStorageConfig.builder().clock(clock).build());
  }

  @Override
  protected int seedOrders() {
    return 300;
  }
}
