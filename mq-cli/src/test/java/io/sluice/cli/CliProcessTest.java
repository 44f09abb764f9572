package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code bin/sluice} run as a separate process on the test class path, against
 * a file store this JVM holds open (the other process reads it without its lock, and a write
 * command refuses with exit code 3), and against PostgreSQL.
 */
class CliProcessTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private static Result sluice(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of("bin", "sluice").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("SLUICE_CLI_CLASSPATH", classPath());
    pb.environment().remove("SLUICE_STORE");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void readsAHeldFileStoreAndRefusesToWriteIt() throws Exception {
    try (FileStorage store = FileStorage.open(FileStorageConfig.builder(dir).build())) {
      store.createTopic("orders", TopicConfig.partitions(1));
      store.append("orders", List.of(OutgoingMessage.of(Message.of("hello"))));

      Result topics = sluice("--store", dir.toString(), "topics", "--json");
      assertThat(topics.code()).as(topics.err()).isZero();
      assertThat(topics.out()).contains("\"name\" : \"orders\"", "\"retainedMessages\" : 1");

      Result pause = sluice("--store", dir.toString(), "pause", "billing");
      assertThat(pause.code()).isEqualTo(ExitCodes.STORE_BUSY);
      assertThat(pause.err()).contains("is held by another process");
      assertThat(store.isPaused("billing", "orders")).isFalse();
    }
    Result pause = sluice("--store", "file:" + dir, "pause", "billing");
    assertThat(pause.code()).as(pause.err()).isZero();
  }

  @Test
  void talksToPostgres() throws Exception {
    PostgresCliTest.requireDatabase();
    String schema =
        "sluice_cli_p_"
            + java.util.HexFormat.of()
                .toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt());
    try (var s =
        io.sluice.storage.jdbc.JdbcStorage.create(
            PostgresCliTest.URL,
            PostgresCliTest.USER,
            null,
            io.sluice.storage.jdbc.JdbcStorageConfig.builder().schema(schema).build())) {
      s.createTopic("orders", TopicConfig.partitions(3));
      Result topics =
          sluice(
              "topics",
              "--store",
              PostgresCliTest.URL,
              "--user",
              PostgresCliTest.USER,
              "--schema",
              schema);
      assertThat(topics.code()).as(topics.err()).isZero();
      assertThat(topics.out()).contains("orders", "3");
    } finally {
      try (var c =
              java.sql.DriverManager.getConnection(
                  PostgresCliTest.URL, PostgresCliTest.USER, null);
          var st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  /**
   * The test class path. Surefire may run tests from a manifest-only jar, whose Class-Path
   * attribute then holds the real entries.
   */
  static String classPath() throws IOException {
    String cp = System.getProperty("java.class.path");
    String[] parts = cp.split(File.pathSeparator);
    if (parts.length == 1 && parts[0].endsWith(".jar")) {
      try (JarFile jar = new JarFile(parts[0])) {
        String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
        if (manifest != null) {
          List<String> entries = new ArrayList<>();
          for (String e : manifest.trim().split("\\s+")) {
            entries.add(e.startsWith("file:") ? Path.of(URI.create(e)).toString() : e);
          }
          return String.join(File.pathSeparator, entries);
        }
      }
    }
    return cp;
  }
}
