package io.sluice.consumer;

import io.sluice.spi.Storage;
import io.sluice.spi.tck.InMemoryStorage;
import java.time.InstantSource;

/** The consumer runtime suite on the in-memory reference store. */
class MemoryConsumerContractTest extends ConsumerContract {
  @Override
  protected Storage createStorage(InstantSource clock) {
    return new InMemoryStorage(clock);
  }
}
