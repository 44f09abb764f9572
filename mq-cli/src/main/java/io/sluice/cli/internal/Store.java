package io.sluice.cli.internal;

import io.sluice.api.error.StorageLockedException;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spi.Storage;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * An open store and an admin over it. A file store is opened read-only (no lock, no write) for
 * commands that only read, and normally (taking its lock) for commands that change it; a database
 * is opened without running migrations, background retention or notifications.
 */
final class Store implements AutoCloseable {
  private final Storage storage;
  private final SluiceAdmin admin;
  private final Path directory;

  private Store(Storage storage, Path directory) {
    this.storage = storage;
    this.directory = directory;
    this.admin = SluiceAdmin.create(storage, Clock.systemUTC());
  }

  /** The store {@code location} names: a JDBC URL, {@code file:/path}, or a path. */
  static Store open(StoreOptions options, boolean write) {
    String location = options.location();
    if (location.startsWith("jdbc:")) {
      JdbcStorageConfig config =
          JdbcStorageConfig.builder()
              .schema(options.schema())
              .migrateOnStart(false)
              .retentionInterval(null)
              .notifications(false)
              .maxPoolSize(2)
              .build();
      return new Store(
          JdbcStorage.create(location, options.user(), options.password(), config), null);
    }
    Path dir = fileDirectory(location);
    if (!Files.isDirectory(dir.resolve("topics"))) {
      throw new CliException(
          io.sluice.cli.ExitCodes.NOT_FOUND,
          "no Sluice file store in " + dir + " (expected a directory with a topics/ folder)");
    }
    if (!write) {
      return new Store(FileStorage.openReadOnly(dir, Clock.systemUTC()), dir);
    }
    try {
      return new Store(FileStorage.open(FileStorageConfig.builder(dir).build()), dir);
    } catch (StorageLockedException e) {
      throw new CliException(
          io.sluice.cli.ExitCodes.STORE_BUSY,
          "the file store "
              + dir
              + " is held by another process (lock file "
              + e.lockFile()
              + "), so it cannot be changed from here. Stop that process first, or make the"
              + " change through it (its SluiceAdmin or Actuator endpoint). Read-only commands"
              + " work while it runs.");
    }
  }

  /** The directory a file location names. */
  static Path fileDirectory(String location) {
    if (location.startsWith("file:")) {
      return location.startsWith("file://")
          ? Path.of(URI.create(location))
          : Path.of(location.substring("file:".length()));
    }
    return Path.of(location);
  }

  /** Whether {@code location} names a file store. */
  static boolean isFile(String location) {
    return !location.startsWith("jdbc:");
  }

  Storage storage() {
    return storage;
  }

  SluiceAdmin admin() {
    return admin;
  }

  /** The file store's directory, or null for a database. */
  Path directory() {
    return directory;
  }

  @Override
  public void close() {
    storage.close();
  }
}
