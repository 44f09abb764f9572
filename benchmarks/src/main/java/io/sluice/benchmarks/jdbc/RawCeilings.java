package io.sluice.benchmarks.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What PostgreSQL (or MariaDB, for a {@code jdbc:mariadb:} URL) itself does on this machine with
 * the simplest queue there is: a table with a {@code bigserial} (AUTO_INCREMENT) key and a payload.
 * Insert: multi-row {@code INSERT} of 100 rows per statement (auto-commit, one transaction each).
 * Dequeue: {@code DELETE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 100) RETURNING}
 * (auto-commit) until the table is empty.
 */
final class RawCeilings {
  private final String url;
  private final String user;
  private final String password;

  RawCeilings(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /**
   * Rows inserted or dequeued so far in the running phase, for {@link
   * io.sluice.benchmarks.Progress}.
   */
  final AtomicLong progress = new AtomicLong();

  void reset() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : BenchSql.createRawQueue(url)) {
        s.execute(sql);
      }
    }
  }

  /** Inserts {@code batches} statements of 100 rows from {@code sessions} threads; rows/s. */
  double insert(int sessions, int batchesPerSession, byte[] payload) throws Exception {
    StringBuilder sql = new StringBuilder("INSERT INTO sluice_bench_raw.q (payload) VALUES (?)");
    for (int i = 1; i < 100; i++) {
      sql.append(",(?)");
    }
    return Parallel.rate(
        sessions,
        () -> {
          long rows = 0;
          try (Connection c = connect();
              PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int b = 0; b < batchesPerSession; b++) {
              for (int i = 1; i <= 100; i++) {
                ps.setBytes(i, payload);
              }
              int n = ps.executeUpdate();
              rows += n;
              progress.addAndGet(n);
            }
          }
          return rows;
        });
  }

  /** Dequeues everything with {@code sessions} threads; rows/s. */
  double dequeue(int sessions) throws Exception {
    if (BenchSql.mariadb(url)) {
      return dequeueMariaDb(sessions);
    }
    String sql =
        "DELETE FROM sluice_bench_raw.q WHERE id IN (SELECT id FROM sluice_bench_raw.q"
            + " ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 100) RETURNING id, payload";
    AtomicLong total = new AtomicLong();
    double rate =
        Parallel.rate(
            sessions,
            () -> {
              long rows = 0;
              int empty = 0;
              try (Connection c = connect();
                  PreparedStatement ps = c.prepareStatement(sql)) {
                while (empty < 3) {
                  int n = 0;
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      rs.getBytes(2);
                      n++;
                    }
                  }
                  rows += n;
                  progress.addAndGet(n);
                  empty = n == 0 ? empty + 1 : 0;
                }
              }
              total.addAndGet(rows);
              return rows;
            });
    return rate;
  }

  /**
   * MariaDB has no {@code DELETE ... RETURNING} with a locking sub-select of the same table: each
   * round is one transaction of {@code SELECT ... ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED} and
   * {@code DELETE ... WHERE id IN (those ids)}, committed.
   */
  private double dequeueMariaDb(int sessions) throws Exception {
    String select =
        "SELECT id, payload FROM sluice_bench_raw.q ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED";
    return Parallel.rate(
        sessions,
        () -> {
          long rows = 0;
          int empty = 0;
          try (Connection c = connect();
              PreparedStatement ps = c.prepareStatement(select);
              Statement delete = c.createStatement()) {
            c.setAutoCommit(false);
            while (empty < 3) {
              StringBuilder ids = new StringBuilder();
              int n = 0;
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  ids.append(n == 0 ? "" : ",").append(rs.getLong(1));
                  rs.getBytes(2);
                  n++;
                }
              }
              if (n > 0) {
                delete.executeUpdate("DELETE FROM sluice_bench_raw.q WHERE id IN (" + ids + ")");
              }
              c.commit();
              rows += n;
              empty = n == 0 ? empty + 1 : 0;
            }
          }
          return rows;
        });
  }
}
