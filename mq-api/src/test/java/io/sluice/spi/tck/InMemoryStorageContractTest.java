package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.spi.Capabilities;
import io.sluice.spi.Storage;
import org.junit.jupiter.api.Test;

/** Runs the whole {@link StorageContract} against {@link InMemoryStorage}, plus its specifics. */
class InMemoryStorageContractTest extends StorageContract {
  @Override
  protected Storage createStorage(SettableClock clock) {
    return new InMemoryStorage(clock);
  }

  @Test
  void capabilitiesAreThoseOfAnAtomicNonPersistentStoreWithoutTransactions() {
    assertThat(storage().capabilities())
        .isEqualTo(new Capabilities("memory", false, true, true, false));
  }

  @Test
  void aClockIsRequired() {
    assertThatThrownBy(() -> new InMemoryStorage(null)).isInstanceOf(NullPointerException.class);
  }
}
