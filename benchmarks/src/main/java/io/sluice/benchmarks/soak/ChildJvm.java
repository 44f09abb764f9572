package io.sluice.benchmarks.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link SoakChild} in a fresh JVM, started cheaply (small heap, C1 only, serial GC, and a
 * dynamic class-data-sharing archive written by the first child that exits normally). Its stderr is
 * appended to {@code children.log} in the work directory.
 */
final class ChildJvm {
  private final Process process;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  private ChildJvm(Process process) {
    this.process = process;
    Thread.ofVirtual().start(this::watch);
  }

  static ChildJvm start(Path work, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx128m",
            "-Xss512k",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-XX:+AutoCreateSharedArchive",
            "-XX:SharedArchiveFile=" + work.resolve("child.jsa"),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            SoakChild.class.getName()));
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("children.log").toFile()))
            .start();
    return new ChildJvm(p);
  }

  private void watch() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("READY")) {
          ready.complete(null);
        }
      }
      ready.completeExceptionally(new IllegalStateException("child exited before READY"));
    } catch (IOException e) {
      ready.completeExceptionally(e);
    }
  }

  /**
   * Waits until the child printed {@code READY}.
   *
   * @throws IllegalStateException when it exited first or did not get there in {@code seconds}
   */
  void awaitReady(int seconds) throws InterruptedException {
    try {
      ready.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("child not READY after " + seconds + " s; see children.log");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "child exited with " + exitCode() + " before READY; see children.log", e.getCause());
    }
  }

  private String exitCode() throws InterruptedException {
    return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "?";
  }

  /** Sends SIGKILL and waits until the process is gone (its file lock and sockets with it). */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Waits for a child that ends by itself; fails when it does not end well in time. */
  void awaitExit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      kill();
      throw new IllegalStateException("child did not exit in " + seconds + " s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("child exited with " + process.exitValue());
    }
  }
}
