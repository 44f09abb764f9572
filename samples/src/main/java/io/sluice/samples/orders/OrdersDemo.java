package io.sluice.samples.orders;

import io.sluice.Sluice;
import io.sluice.api.Backoff;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The order-processing demo: sends orders to a 4-partition topic, pays each through a gateway that
 * fails 30% of calls, retries with exponential backoff, dead-letters what fails every attempt, and
 * prints a report. Exits 0 when every order was paid or dead-lettered and nothing is left.
 *
 * <pre>
 * ./mvnw -q -pl samples exec:java                             # embedded file store
 * ./mvnw -q -pl samples exec:java -Dexec.args=--postgres     # local PostgreSQL
 * java -jar samples/target/sluice-samples.jar --help         # the built jar
 * </pre>
 */
@Command(
    name = "orders-demo",
    mixinStandardHelpOptions = true,
    description = "Order processing with retries and a dead-letter topic, on Sluice.")
public final class OrdersDemo implements Callable<Integer> {
  static final String LOCAL_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

  @Option(
      names = {"-n", "--orders"},
      defaultValue = "2000",
      description = "Orders to send (default ${DEFAULT-VALUE}).")
  int orders;

  @Option(
      names = "--postgres",
      arity = "0..1",
      paramLabel = "JDBC-URL",
      fallbackValue = LOCAL_POSTGRES,
      description =
          "Use PostgreSQL instead of the file store (default URL " + LOCAL_POSTGRES + ").")
  String postgres;

  @Option(names = "--user", defaultValue = "postgres", description = "PostgreSQL user.")
  String user;

  @Option(names = "--password", defaultValue = "", description = "PostgreSQL password.")
  String password;

  @Option(names = "--dir", description = "File store directory (default: a new temporary one).")
  Path directory;

  @Option(
      names = "--failure-rate",
      defaultValue = "0.3",
      description = "Share of failing gateway calls (default ${DEFAULT-VALUE}).")
  double failureRate;

  @Option(
      names = "--max-attempts",
      defaultValue = "4",
      description = "Attempts per order before the DLQ (default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--seed", description = "Seed for the gateway's failures (default random).")
  Long seed;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds to wait for every order (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--keep", description = "Keep the store (directory or schema) afterwards.")
  boolean keep;

  private final PrintStream out;
  private DemoReport report;

  /** A demo printing to standard output. */
  public OrdersDemo() {
    this(System.out);
  }

  /** A demo printing to {@code out}. */
  public OrdersDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo; exits with its status. */
  public static void main(String[] args) {
    System.exit(command(new OrdersDemo()).execute(args));
  }

  /**
   * The command line for {@code demo}: a failure (for example an unreachable database) prints one
   * line and exits with status 2 instead of a stack trace.
   */
  public static CommandLine command(OrdersDemo demo) {
    return new CommandLine(demo)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("orders-demo failed: " + e);
              return 2;
            });
  }

  @Override
  public Integer call() throws Exception {
    if (orders < 1 || maxAttempts < 1 || timeoutSeconds < 1) {
      out.println("--orders, --max-attempts and --timeout must be at least 1");
      return 2;
    }
    long actualSeed = seed != null ? seed : System.nanoTime();
    PaymentGateway gateway = new PaymentGateway(failureRate, actualSeed);
    OrderPipeline.Settings settings =
        new OrderPipeline.Settings(
            orders,
            50,
            maxAttempts,
            new Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(200), 0.2),
            Duration.ofSeconds(timeoutSeconds));
    try (DemoStore store = openStore();
        Sluice sluice = Sluice.builder().storage(store.storage()).build()) {
      out.printf(
          "Order demo: %d orders, gateway failing %.0f%% of calls (seed %d), %d attempts with"
              + " backoff 10 ms x2 up to 200 ms, on %s%n",
          orders, failureRate * 100, actualSeed, maxAttempts, store.description());
      report = new OrderPipeline(sluice, gateway, settings, out).run(store.description());
    }
    report.print(out);
    return report.complete() ? 0 : 1;
  }

  private DemoStore openStore() throws java.io.IOException {
    if (postgres != null) {
      return DemoStore.postgres(postgres, user, password.isEmpty() ? null : password, keep);
    }
    return DemoStore.file(directory, keep);
  }

  /** The last run's report, or null before a run. */
  public DemoReport report() {
    return report;
  }
}
