package io.sluice.storage.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.jar.JarFile;

/** Starts {@link ChildProducer} in a fresh JVM and collects its complete output lines. */
final class ChildJvm implements AutoCloseable {
  final Process process;
  final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final Thread reader;

  ChildJvm(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xshare:auto");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(ChildProducer.class.getName());
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    reader = Thread.ofPlatform().daemon().start(this::drain);
  }

  private void drain() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.endsWith(";")) {
          lines.add(line.substring(0, line.length() - 1));
        }
      }
    } catch (IOException e) {
      // the process died mid-line: what was read is kept
    }
  }

  /** Kills the child with SIGKILL and waits until its output is fully read. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    reader.join(10_000);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /**
   * The test class path. Surefire may run tests from a manifest-only jar, whose Class-Path
   * attribute then holds the real entries.
   */
  static String classPath() {
    String cp = System.getProperty("java.class.path");
    String[] parts = cp.split(java.io.File.pathSeparator);
    if (parts.length == 1 && parts[0].endsWith(".jar")) {
      try (JarFile jar = new JarFile(parts[0])) {
        String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
        if (manifest != null) {
          List<String> entries = new ArrayList<>();
          for (String e : manifest.trim().split("\\s+")) {
            entries.add(
                e.startsWith("file:") ? Path.of(URI.create(e)).toString() : Path.of(e).toString());
          }
          return String.join(java.io.File.pathSeparator, entries);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cp;
  }
}
