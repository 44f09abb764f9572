package io.sluice.consumer;

import io.sluice.spi.Storage;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The consumer runtime suite on the file backend (default SYNC durability). */
class FileConsumerContractTest extends ConsumerContract {
  @TempDir Path directory;

  @Override
  protected Storage createStorage(InstantSource clock) {
    return FileStorage.open(FileStorageConfig.builder(directory).clock(clock).build());
  }

  @Override
  protected List<String> crashingConsumerArgs() {
    return List.of("file", directory.toString());
  }

  @Override
  protected boolean exclusiveStore() {
    return true;
  }
}
