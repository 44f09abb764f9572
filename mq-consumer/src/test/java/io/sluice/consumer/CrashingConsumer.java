package io.sluice.consumer;

import io.sluice.Sluice;
import io.sluice.spi.Storage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * A consumer process for crash tests: opens the store named by its arguments, consumes group
 * "billing" on topic "orders" with concurrency 1 (and the default prefetch), prints {@code HANDLING
 * <offset>} when its handler starts and then hangs until the parent kills it with SIGKILL.
 *
 * <p>Arguments: {@code file <directory> <clock instant> [maxAttempts]}, or {@code postgresql} or
 * {@code mariadb} {@code <schema> <clock instant> [maxAttempts]}.
 */
public final class CrashingConsumer {
  private CrashingConsumer() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    SettableClock clock = new SettableClock(Instant.parse(args[2]));
    Storage storage = open(args[0], args[1], clock);
    Sluice sluice = Sluice.builder().storage(storage).clock(clock).build();
    int maxAttempts = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    sluice
        .consumer("billing")
        .subscribe("orders")
        .concurrency(1)
        .retry(RetryPolicy.maxAttempts(maxAttempts))
        .handler(
            d -> {
              System.out.println("HANDLING " + d.offset());
              System.out.flush();
              new CountDownLatch(1).await();
            })
        .start();
    new CountDownLatch(1).await();
  }

  static Storage open(String kind, String location, SettableClock clock) {
    return switch (kind) {
      case "file" ->
          FileStorage.open(FileStorageConfig.builder(Path.of(location)).clock(clock).build());
      case "postgresql" ->
          JdbcStorage.create(
              TestServer.POSTGRES.url(),
              TestServer.POSTGRES.user(),
              TestServer.POSTGRES.password(),
              // The test migrated the schema; a child skips Flyway to start faster.
              JdbcStorageConfig.builder()
                  .schema(location)
                  .clock(clock)
                  .migrateOnStart(false)
                  .build());
      case "mariadb" ->
          JdbcStorage.create(
              TestServer.MARIADB.url(),
              TestServer.MARIADB.user(),
              TestServer.MARIADB.password(),
              JdbcStorageConfig.builder().schema(location).clock(clock).build());
      default -> throw new IllegalArgumentException("unknown store kind " + kind);
    };
  }
}
