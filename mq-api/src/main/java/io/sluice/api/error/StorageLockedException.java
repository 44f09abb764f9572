package io.sluice.api.error;

import java.nio.file.Path;

/**
 * Another process (or another store in this one) holds the store directory's lock. One directory is
 * served by one process at a time.
 */
public final class StorageLockedException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String lockFile;

  public StorageLockedException(Path lockFile) {
    super(
        "store is locked by another process or store instance: lock file "
            + lockFile
            + " is held; close the other store or point this one at another directory");
    this.lockFile = lockFile.toString();
  }

  public Path lockFile() {
    return Path.of(lockFile);
  }
}
