package io.sluice.storage.jdbc;

import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import java.io.PrintStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * A child JVM for {@link PostgresMultiProcessTest}: claims from one topic until it has seen it
 * empty for a while, printing {@code C <partition> <offset> <token>} when a message is claimed and
 * {@code A <partition> <offset>} after its ack commits; {@code DONE} at the end.
 *
 * <p>Arguments: url, user, schema, topic, group.
 */
public final class ClaimWorker {
  private ClaimWorker() {}

  /** Runs the worker; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    JdbcStorageConfig config =
        JdbcStorageConfig.builder()
            .schema(args[2])
            .clock(InstantSource.system())
            .migrateOnStart(false)
            .retentionInterval(null)
            .maxPoolSize(2)
            .build();
    try (JdbcStorage store = JdbcStorage.create(args[0], args[1], null, config)) {
      int emptyRounds = 0;
      while (emptyRounds < 20) {
        List<Lease> leases =
            store.claim(ClaimRequest.of(args[4], args[3], 7, Duration.ofMinutes(5)));
        if (leases.isEmpty()) {
          emptyRounds++;
          Thread.sleep(50); // polling interval of an idle consumer, not a test wait
          continue;
        }
        emptyRounds = 0;
        for (Lease l : leases) {
          out.println("C " + l.id().partition() + " " + l.id().offset() + " " + l.id().token());
        }
        out.flush();
        store.ack(args[4], leases.stream().map(l -> Ack.of(l.id())).toList());
        for (Lease l : leases) {
          out.println("A " + l.id().partition() + " " + l.id().offset());
        }
        out.flush();
      }
    }
    out.println("DONE");
    out.flush();
  }
}
