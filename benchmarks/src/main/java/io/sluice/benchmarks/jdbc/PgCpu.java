package io.sluice.benchmarks.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * CPU time of a PostgreSQL server on this machine, read from {@code /proc}: the postmaster's own
 * and reaped children's time plus every live child's (backends, WAL writer, checkpointer, ...). The
 * postmaster is found as the parent of a backend of the given connection. Only meaningful when the
 * server runs on this host; on another host {@link #seconds()} returns NaN.
 */
final class PgCpu {
  private static final double TICKS = 100.0; // USER_HZ on Linux

  private final long postmaster;

  private PgCpu(long postmaster) {
    this.postmaster = postmaster;
  }

  /** The server at {@code url}, connected to once as {@code user} (no password). */
  static PgCpu of(String url, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, null)) {
      return of(c);
    }
  }

  /** The server of {@code c}, or one whose {@link #seconds()} is NaN when it is not local. */
  static PgCpu of(Connection c) throws SQLException {
    if ("MariaDB".equals(c.getMetaData().getDatabaseProductName())) {
      return mariadb(c);
    }
    long backend;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      backend = rs.getLong(1);
    }
    long[] stat = stat(backend);
    return new PgCpu(stat == null ? -1 : stat[0]);
  }

  /**
   * A MariaDB server: one process (its threads' time is the process's), found through its pid file;
   * NaN when the file cannot be read here (another host).
   */
  private static PgCpu mariadb(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@pid_file")) {
      rs.next();
      return new PgCpu(Long.parseLong(Files.readString(Path.of(rs.getString(1))).strip()));
    } catch (IOException | RuntimeException e) {
      return new PgCpu(-1);
    }
  }

  /** The server's CPU seconds so far (user + system). */
  double seconds() {
    long[] own = stat(postmaster);
    if (own == null) {
      return Double.NaN;
    }
    long ticks = own[1] + own[2];
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)) {
          long[] child = stat(Long.parseLong(name));
          if (child != null && child[0] == postmaster) {
            ticks += child[3];
          }
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return ticks / TICKS;
  }

  /**
   * {ppid, utime+stime+cutime+cstime of the postmaster fields, ...}: for a pid, {ppid, own
   * user+system, reaped children's user+system, own user+system}; null if it is gone.
   */
  private static long[] stat(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      return null;
    }
    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
    // f[0] = state (field 3); ppid = field 4; utime 14, stime 15, cutime 16, cstime 17.
    long ppid = Long.parseLong(f[1]);
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    long cutime = Long.parseLong(f[13]);
    long cstime = Long.parseLong(f[14]);
    return new long[] {ppid, utime + stime, cutime + cstime, utime + stime};
  }
}
