package io.sluice.benchmarks.soak;

import io.sluice.spi.Storage;
import io.sluice.storage.file.Durability;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Where a soak run keeps its messages: a file-store directory, or a schema of a PostgreSQL
 * database. Passed to child JVMs as arguments ({@link #toArgs()} / {@link #fromArgs}).
 *
 * @param kind {@code file} or {@code postgres}
 * @param location the directory, or the JDBC URL
 * @param user the database user (postgres only)
 * @param schema the schema (postgres only)
 */
record SoakStore(String kind, String location, String user, String schema) {
  static SoakStore file(Path dir) {
    return new SoakStore("file", dir.toString(), "-", "-");
  }

  static SoakStore postgres(String url, String user, String schema) {
    return new SoakStore("postgres", url, user, schema);
  }

  List<String> toArgs() {
    return List.of(kind, location, user, schema);
  }

  static SoakStore fromArgs(String[] args, int from) {
    return new SoakStore(args[from], args[from + 1], args[from + 2], args[from + 3]);
  }

  /** Opens the store; the file store with {@code SYNC} durability (a receipt follows the fsync). */
  Storage open() {
    return switch (kind) {
      case "file" ->
          FileStorage.open(
              FileStorageConfig.builder(Path.of(location)).durability(Durability.SYNC).build());
      case "postgres" ->
          JdbcStorage.create(
              location,
              user,
              null,
              JdbcStorageConfig.builder().schema(schema).maxPoolSize(4).build());
      default -> throw new IllegalArgumentException("unknown store kind " + kind);
    };
  }

  /** Drops what an earlier run left: the schema (postgres); the directory is fresh per run. */
  void reset() throws SQLException {
    if (kind.equals("postgres")) {
      try (Connection c = DriverManager.getConnection(location, user, null);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }
  }

  String label() {
    return kind.equals("file") ? "file" : "postgres";
  }
}
