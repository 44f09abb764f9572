package io.sluice.storage.jdbc;

import io.sluice.spi.Storage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.spi.tck.StorageContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared storage contract on PostgreSQL (one schema for the class, emptied per test). */
class PostgresStorageContractTest extends StorageContract {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  @Override
  protected Storage createStorage(SettableClock clock) {
    JdbcStorage store = Stores.open(PG.dataSource(), PG.schema(), clock);
    Stores.empty(PG.dataSource(), PG.schema());
    return store;
  }

  @Override
  protected Storage reopen(Storage store, SettableClock clock) {
    store.close();
    return Stores.open(PG.dataSource(), PG.schema(), clock);
  }
}
