package io.sluice.storage.jdbc;

import io.sluice.spi.Storage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.spi.tck.StorageContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared storage contract on MariaDB (one database for the class, emptied per test). */
class MariaDbStorageContractTest extends StorageContract {
  @RegisterExtension static final MariaDbTestDatabase DB = new MariaDbTestDatabase();

  @Override
  protected Storage createStorage(SettableClock clock) {
    JdbcStorage store = Stores.open(DB.dataSource(), DB.schema(), clock);
    Stores.empty(DB.dataSource(), DB.schema());
    return store;
  }

  @Override
  protected Storage reopen(Storage store, SettableClock clock) {
    store.close();
    return Stores.open(DB.dataSource(), DB.schema(), clock);
  }
}
