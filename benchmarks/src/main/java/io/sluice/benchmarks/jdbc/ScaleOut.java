package io.sluice.benchmarks.jdbc;

import static io.sluice.benchmarks.jdbc.BenchSql.execute;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.StartRequest;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scale-out proof (issue 12.4): 1, 2, 3 and 4 consumer JVMs in one group on one PostgreSQL, each
 * running a transactional handler that writes one row per message id (unique key) in the same
 * transaction as the acks of its batch; prints msg/s per JVM count and the server's CPU per 1k
 * msg/s (from /proc, so only with a local server), both measured in the steady state between 10 %
 * and 90 % of the messages done. Then a run with 3 JVMs in which one is killed with SIGKILL a third
 * of the way through: its leases come back after the lease time and every message's side effect
 * exists exactly once.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.jdbc.ScaleOut \
 *     [url] [user] [messages] [threadsPerJvm] [batch]
 * </pre>
 *
 * Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 100000, 2, 200. Each
 * member claims {@code batch} messages, marks them started, and runs the handler's inserts plus the
 * batch's acks in one {@code inTransaction} (one database transaction per batch).
 */
public final class ScaleOut {
  private static final String SCHEMA = "sluice_scale_bench";
  private static final int LEASE_SECONDS = 5;

  private ScaleOut() {}

  /** Parent, or with first argument {@code member}, one consumer JVM. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("member")) {
      member(args);
      return;
    }
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    execute(url, user, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    PgCpu cpu = PgCpu.of(url, user);
    try (JdbcStorage store = open(url, user, 4)) {
      store.createTopic("work", TopicConfig.partitions(8));
      byte[] payload = new byte[256];
      List<OutgoingMessage> chunk = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        chunk.add(OutgoingMessage.of(Message.of(payload)));
      }
      for (int i = 0; i < messages; i += 1_000) {
        store.append("work", chunk);
      }
    }
    execute(url, user, "VACUUM ANALYZE " + SCHEMA + ".mq_messages");
    for (int jvms = 1; jvms <= 4; jvms++) {
      String group = "g" + jvms;
      createTables(url, user, group);
      List<Process> members = new ArrayList<>();
      for (int j = 0; j < jvms; j++) {
        members.add(start(url, user, group, threads, batch));
      }
      // Steady state only: from 10 % to 90 % of the messages done (JVM start-up and the tail of
      // the drain are not counted).
      String table = "effects_" + group;
      awaitCount(url, user, table, messages / 10);
      double c0 = cpu.seconds();
      long t0 = System.nanoTime();
      awaitCount(url, user, table, messages * 9L / 10);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cores = (cpu.seconds() - c0) / seconds;
      double rate = messages * 0.8 / seconds;
      for (Process p : members) {
        drainOutput(p);
        p.waitFor();
      }
      System.out.printf(
          Locale.ROOT,
          "%d consumer JVM(s): %,.0f msg/s; PostgreSQL %.2f cores = %.3f cores per 1k msg/s;"
              + " effects %d (distinct ids %d)%n",
          jvms,
          rate,
          cores,
          cores / (rate / 1_000),
          count(url, user, table, "*"),
          count(url, user, table, "DISTINCT msg_id"));
    }
    killOne(url, user, messages, threads, batch);
  }

  /** The group's effects table (one row per message id) and its table of redelivered ids. */
  private static void createTables(String url, String user, String group) throws Exception {
    execute(
        url,
        user,
        "CREATE TABLE "
            + SCHEMA
            + ".effects_"
            + group
            + " (msg_id text PRIMARY KEY, member text NOT NULL)");
    execute(
        url,
        user,
        "CREATE TABLE " + SCHEMA + ".redelivered_" + group + " (msg_id text, attempt int)");
  }

  /** Three members; one is killed with SIGKILL once a third of the messages are done. */
  private static void killOne(String url, String user, int messages, int threads, int batch)
      throws Exception {
    String group = "gkill";
    createTables(url, user, group);
    List<Process> members = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      members.add(start(url, user, group, threads, batch));
    }
    long t0 = System.nanoTime();
    awaitCount(url, user, "effects_" + group, messages / 3);
    Process victim = members.get(0);
    long inFlightBefore = inFlight(url, user, group);
    victim.destroyForcibly(); // SIGKILL on Linux
    victim.waitFor();
    long killedAt = System.nanoTime();
    long done = count(url, user, "effects_" + group, "*");
    System.out.printf(
        Locale.ROOT,
        "kill -9 of one of 3 JVMs at %.1f s, %d of %d done, %d leased across the group%n",
        (killedAt - t0) / 1e9,
        done,
        messages,
        inFlightBefore);
    for (Process p : members.subList(1, 3)) {
      drainOutput(p);
      p.waitFor();
    }
    double seconds = (System.nanoTime() - killedAt) / 1e9;
    long effects = count(url, user, "effects_" + group, "*");
    long distinct = count(url, user, "effects_" + group, "DISTINCT msg_id");
    long redelivered = count(url, user, "redelivered_" + group, "*");
    System.out.printf(
        Locale.ROOT,
        "after the kill: the 2 survivors finished in %.1f s (lease %d s); messages redelivered"
            + " after expiry: %d; effects %d, distinct ids %d, expected %d: %s%n",
        seconds,
        LEASE_SECONDS,
        redelivered,
        effects,
        distinct,
        messages,
        effects == messages && distinct == messages ? "EXACTLY ONCE" : "MISMATCH");
  }

  private static void awaitCount(String url, String user, String table, long n) throws Exception {
    while (count(url, user, table, "*") < n) {
      Thread.sleep(20);
    }
  }

  private static long inFlight(String url, String user, String group) {
    try (JdbcStorage store = open(url, user, 2)) {
      long n = 0;
      for (GroupPartition gp : store.groupState(group, "work")) {
        n += gp.inFlight();
      }
      return n;
    }
  }

  private static Process start(String url, String user, String group, int threads, int batch)
      throws Exception {
    return new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            ScaleOut.class.getName(),
            "member",
            url,
            user,
            group,
            Integer.toString(threads),
            Integer.toString(batch))
        .redirectErrorStream(true)
        .start();
  }

  /** Prints the member's lines that are not start-up logging; returns when it exits. */
  private static void drainOutput(Process p) throws Exception {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (!line.contains(" INFO ")) {
          System.out.println("  " + line);
        }
      }
    }
  }

  private static JdbcStorage open(String url, String user, int pool) {
    return JdbcStorage.create(
        url,
        user,
        null,
        JdbcStorageConfig.builder()
            .schema(SCHEMA)
            .maxPoolSize(pool)
            .retentionInterval(null)
            .build());
  }

  /** One consumer JVM: {@code threads} loops of claim, markStarted, handler + acks in one tx. */
  private static void member(String[] args) throws Exception {
    String url = args[1];
    String user = args[2];
    String group = args[3];
    int threads = Integer.parseInt(args[4]);
    int batch = Integer.parseInt(args[5]);
    String name = Long.toString(ProcessHandle.current().pid());
    String effects = SCHEMA + ".effects_" + group;
    AtomicLong handled = new AtomicLong();
    try (JdbcStorage store = open(url, user, threads + 1)) {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            Thread.ofPlatform().start(() -> work(store, group, batch, effects, name, handled)));
      }
      for (Thread w : workers) {
        w.join();
      }
    }
    System.out.println("member " + name + " handled " + handled.get());
  }

  private static void work(
      JdbcStorage store, String group, int batch, String effects, String name, AtomicLong handled) {
    int idle = 0;
    ClaimRequest claim = ClaimRequest.of(group, "work", batch, Duration.ofSeconds(LEASE_SECONDS));
    while (idle < 3 || lag(store, group) > 0) {
      List<Lease> leases = store.claim(claim);
      if (leases.isEmpty()) {
        idle++;
        sleep(50);
        continue;
      }
      idle = 0;
      List<DeliveryId> ids = new ArrayList<>();
      List<Ack> acks = new ArrayList<>();
      for (Lease l : leases) {
        ids.add(l.id());
        acks.add(Ack.of(l.id()));
      }
      store.markStarted(new StartRequest(group, ids));
      try {
        store.inTransaction(
            new AckRequest(group, acks),
            tx -> {
              Connection c = tx.unwrap(Connection.class).orElseThrow();
              try (PreparedStatement p =
                  c.prepareStatement("INSERT INTO " + effects + " VALUES (?, ?)")) {
                for (Lease l : leases) {
                  p.setString(1, l.id().partition() + "@" + l.id().offset());
                  p.setString(2, name);
                  p.addBatch();
                }
                p.executeBatch();
              }
              try (PreparedStatement p =
                  c.prepareStatement(
                      "INSERT INTO "
                          + effects.replace("effects_", "redelivered_")
                          + " VALUES (?, ?)")) {
                for (Lease l : leases) {
                  if (l.attempt() > 1
                      || l.firstDeliveredAt().isBefore(l.expiresAt().minusSeconds(LEASE_SECONDS))) {
                    p.setString(1, l.id().partition() + "@" + l.id().offset());
                    p.setInt(2, l.attempt());
                    p.addBatch();
                  }
                }
                p.executeBatch();
              }
              return null;
            });
        handled.addAndGet(leases.size());
      } catch (java.sql.SQLException | RuntimeException e) {
        System.out.println("member " + name + ": batch rolled back: " + e);
      }
    }
  }

  private static long lag(JdbcStorage store, String group) {
    long lag = 0;
    for (GroupPartition gp : store.groupState(group, "work")) {
      lag += gp.lag();
    }
    return lag;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long count(String url, String user, String table, String what) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(" + what + ") FROM " + SCHEMA + "." + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0; // the table does not exist yet
    }
  }
}
