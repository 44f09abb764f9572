package io.sluice.storage.file;

import io.sluice.spi.Storage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.spi.tck.StorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared storage contract, run against the file store with small segments. */
class FileStorageContractTest extends StorageContract {
  private static final int SEGMENT_BYTES = 4096;

  @TempDir Path dir;

  @Override
  protected Storage createStorage(SettableClock clock) {
    return FileStorage.open(config(clock));
  }

  @Override
  protected Storage reopen(Storage store, SettableClock clock) {
    store.close();
    return FileStorage.open(config(clock));
  }

  @Override
  protected long retentionSlackBytes() {
    return SEGMENT_BYTES;
  }

  private FileStorageConfig config(SettableClock clock) {
    return FileStorageConfig.builder(dir)
        .clock(clock)
        .segmentBytes(SEGMENT_BYTES)
        .indexIntervalBytes(256)
        .build();
  }
}
