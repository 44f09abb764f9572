package io.sluice.samples.orders;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The outcome of one demo run.
 *
 * @param backend where the messages were stored
 * @param produced distinct orders stored
 * @param duplicateSends sends the store recognised as repeats (same idempotency key) and skipped
 * @param processed distinct orders paid
 * @param retried failed attempts scheduled for a retry
 * @param deadLettered orders moved to the dead-letter topic after their last attempt
 * @param pendingDeadLetters entries waiting in the dead-letter topic at the end
 * @param lag messages of the orders topic the group had not finished at the end
 * @param elapsed wall time from the first send to the end
 */
public record DemoReport(
    String backend,
    long produced,
    long duplicateSends,
    long processed,
    long retried,
    long deadLettered,
    long pendingDeadLetters,
    long lag,
    Duration elapsed) {

  /** Whether every order was either paid or dead-lettered, and nothing is left. */
  public boolean complete() {
    return processed + deadLettered == produced && pendingDeadLetters == deadLettered && lag == 0;
  }

  /** Prints the summary table. */
  public void print(PrintStream out) {
    out.println();
    out.println("Order demo on " + backend + " finished in " + elapsed.toMillis() + " ms");
    row(out, "produced", produced);
    row(out, "duplicate sends skipped", duplicateSends);
    row(out, "processed (paid)", processed);
    row(out, "retried", retried);
    row(out, "dead-lettered", deadLettered);
    row(out, "in the DLQ (orders.dlq)", pendingDeadLetters);
    row(out, "lag", lag);
    out.println(
        complete()
            ? "OK: processed + dead-lettered = produced ("
                + processed
                + " + "
                + deadLettered
                + " = "
                + produced
                + ")"
            : "INCOMPLETE: processed + dead-lettered = "
                + (processed + deadLettered)
                + ", expected "
                + produced);
  }

  private static void row(PrintStream out, String name, long value) {
    out.printf("  %-26s %8d%n", name, value);
  }
}
