package io.sluice.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OrdersDemoTest {
  @TempDir Path dir;

  @Test
  void everyOrderIsPaidOrDeadLetteredAndTheExitStatusIsZero() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OrdersDemo demo = new OrdersDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int status =
        OrdersDemo.command(demo)
            .execute(
                "--orders",
                "300",
                "--dir",
                dir.resolve("store").toString(),
                "--seed",
                "42",
                "--failure-rate",
                "0.5",
                "--max-attempts",
                "3",
                "--timeout",
                "60");
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(status).as(output).isZero();
    DemoReport report = demo.report();
    assertThat(report.produced()).isEqualTo(300);
    assertThat(report.processed() + report.deadLettered()).isEqualTo(report.produced());
    assertThat(report.duplicateSends()).isGreaterThanOrEqualTo(6);
    assertThat(report.retried()).isPositive();
    assertThat(report.deadLettered()).isPositive();
    assertThat(report.pendingDeadLetters()).isEqualTo(report.deadLettered());
    assertThat(report.lag()).isZero();
    assertThat(output).contains("OK: processed + dead-lettered = produced");
  }

  @Test
  void anImpossibleDeadlineExitsNonZero() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OrdersDemo demo = new OrdersDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int status =
        OrdersDemo.command(demo)
            .execute(
                "--orders",
                "50",
                "--dir",
                dir.resolve("slow").toString(),
                "--failure-rate",
                "1",
                "--max-attempts",
                "1000",
                "--timeout",
                "1");
    assertThat(status).isEqualTo(1);
    assertThat(demo.report().complete()).isFalse();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("INCOMPLETE");
  }

  @Test
  void anUnreachableDatabaseIsOneLineAndStatusTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OrdersDemo demo = new OrdersDemo(new PrintStream(new ByteArrayOutputStream()));
    CommandLine cmd = OrdersDemo.command(demo);
    cmd.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int status = cmd.execute("--postgres", "jdbc:postgresql://127.0.0.1:1/none", "--orders", "5");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("orders-demo failed: ");
  }

  @Test
  void orderPayloadsRoundTrip() {
    Order order = new Order("order-7", "customer-3", 1299);
    assertThat(Order.decode(order.encode())).isEqualTo(order);
  }
}
