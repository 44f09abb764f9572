package io.sluice.benchmarks.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The few statements the JDBC benchmarks run outside Sluice (dropping their schema, refreshing
 * statistics, the raw baseline queue), for PostgreSQL or MariaDB, chosen by the JDBC URL.
 */
final class BenchSql {
  private BenchSql() {}

  /** Whether the URL names a MariaDB server. */
  static boolean mariadb(String url) {
    return url.startsWith("jdbc:mariadb:");
  }

  /** Drops a schema (on MariaDB: a database) with everything in it. */
  static String dropSchema(String url, String schema) {
    return mariadb(url)
        ? "DROP DATABASE IF EXISTS " + schema
        : "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
  }

  /** Refreshes a table's statistics (and on PostgreSQL removes dead rows). */
  static String analyze(String url, String table) {
    return mariadb(url) ? "ANALYZE TABLE " + table : "VACUUM ANALYZE " + table;
  }

  /** The URL for a store that sends batched inserts as multi-row statements. */
  static String batched(String url) {
    return mariadb(url)
        ? url
        : url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /** Runs one statement on a connection of its own (no password). */
  static void execute(String url, String user, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The raw queue: schema {@code sluice_bench_raw}, table {@code q (id, payload)}. */
  static List<String> createRawQueue(String url) {
    if (mariadb(url)) {
      return List.of(
          "DROP DATABASE IF EXISTS sluice_bench_raw",
          "CREATE DATABASE sluice_bench_raw",
          "CREATE TABLE sluice_bench_raw.q (id bigint AUTO_INCREMENT PRIMARY KEY,"
              + " payload blob NOT NULL) ENGINE = InnoDB");
    }
    return List.of(
        "DROP SCHEMA IF EXISTS sluice_bench_raw CASCADE",
        "CREATE SCHEMA sluice_bench_raw",
        "CREATE TABLE sluice_bench_raw.q (id bigserial PRIMARY KEY, payload bytea NOT NULL)");
  }
}
