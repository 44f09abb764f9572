package io.sluice.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.spi.Storage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.spi.tck.StorageContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared storage contract on H2 (one in-memory database for the class, emptied per test). */
class H2StorageContractTest extends StorageContract {
  static HikariDataSource ds;

  @BeforeAll
  static void start() {
    ds = H2Databases.create();
  }

  @AfterAll
  static void stop() {
    ds.close();
  }

  @Override
  protected Storage createStorage(SettableClock clock) {
    JdbcStorage store = Stores.open(ds, "sluice", clock);
    Stores.empty(ds, "sluice");
    return store;
  }

  @Override
  protected Storage reopen(Storage store, SettableClock clock) {
    store.close();
    return Stores.open(ds, "sluice", clock);
  }
}
