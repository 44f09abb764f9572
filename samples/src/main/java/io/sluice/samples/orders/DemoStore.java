package io.sluice.samples.orders;

import io.sluice.spi.Storage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The store a demo run uses: a fresh file store directory, or a fresh schema on PostgreSQL, removed
 * again on {@link #close()} unless kept.
 */
final class DemoStore implements AutoCloseable {
  private final Storage storage;
  private final String description;
  private final Runnable cleanup;

  private DemoStore(Storage storage, String description, Runnable cleanup) {
    this.storage = storage;
    this.description = description;
    this.cleanup = cleanup;
  }

  /** A file store in {@code directory}, or in a new temporary directory when null. */
  static DemoStore file(Path directory, boolean keep) throws IOException {
    Path dir = directory != null ? directory : Files.createTempDirectory("sluice-orders-demo-");
    FileStorage storage =
        FileStorage.open(FileStorageConfig.builder(dir).durability(Durability.SYNC).build());
    Runnable cleanup = keep || directory != null ? () -> {} : () -> deleteTree(dir);
    return new DemoStore(storage, "the embedded file store in " + dir, cleanup);
  }

  /** A JDBC store in a new schema {@code sluice_demo_<random>} on {@code url}. */
  static DemoStore postgres(String url, String user, String password, boolean keep) {
    String schema = "sluice_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    JdbcStorage storage =
        JdbcStorage.create(url, user, password, JdbcStorageConfig.builder().schema(schema).build());
    Runnable cleanup = keep ? () -> {} : () -> dropSchema(url, user, password, schema);
    return new DemoStore(storage, "PostgreSQL " + url + " (schema " + schema + ")", cleanup);
  }

  Storage storage() {
    return storage;
  }

  String description() {
    return description;
  }

  @Override
  public void close() {
    storage.close();
    cleanup.run();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the demo store " + dir, e);
    }
  }

  private static void dropSchema(String url, String user, String password, String schema) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop the demo schema " + schema, e);
    }
  }
}
