package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Storage;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The command line on a file store that the application holds open while read commands run: they
 * take no lock and write nothing; write commands refuse with exit code 3 until it is closed.
 */
class FileCliTest extends CliCases {
  @TempDir Path dir;

  @Override
  Storage openStore() {
    return FileStorage.open(FileStorageConfig.builder(dir).build());
  }

  @Override
  List<String> storeArgs() {
    return List.of("--store", dir.toString());
  }

  @Override
  void closeApplicationIfExclusive() {
    closeApplication();
  }

  private Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        out.put(
            dir.relativize(p).toString(),
            java.util.Arrays.hashCode(Files.readAllBytes(p)) + "/" + Files.size(p));
      }
    }
    return out;
  }

  @Test
  void readCommandsChangeNoFileOfAHeldStore() throws IOException {
    // Quiet the application: every read command below runs while it holds the store.
    Map<String, String> before = files();
    for (String[] command :
        List.of(
            new String[] {"topics"},
            new String[] {"topic", "describe", "orders"},
            new String[] {"groups", "--all"},
            new String[] {"lag", "billing"},
            new String[] {"tail", "orders", "--from", "earliest"},
            new String[] {"dump"},
            new String[] {"verify"},
            new String[] {"dlq", "list", "orders.dlq"},
            new String[] {"dlq", "show", "orders.dlq", "0:0"},
            new String[] {
              "reset-offsets", "billing", "--topic", "orders", "--to-earliest", "--dry-run"
            },
            new String[] {"dlq", "redrive", "orders.dlq", "--all", "--dry-run"})) {
      CliRun r = run(command);
      assertThat(r.code()).as(String.join(" ", command) + "\n" + r).isZero();
    }
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void writeCommandsRefuseWhileTheApplicationHoldsTheStore() {
    for (String[] command :
        List.of(
            new String[] {"pause", "billing"},
            new String[] {"resume", "billing"},
            new String[] {"reset-offsets", "billing", "--topic", "orders", "--to-latest"},
            new String[] {"dlq", "purge", "orders.dlq", "--all"},
            new String[] {"dlq", "redrive", "orders.dlq", "0:0"})) {
      CliRun r = run(command);
      assertThat(r.code()).as(String.join(" ", command) + "\n" + r).isEqualTo(ExitCodes.STORE_BUSY);
      assertThat(r.err()).contains("is held by another process", "Read-only commands work");
    }
    assertThat(sluice.admin().countDeadLetters("orders.dlq")).isEqualTo(2);
  }

  @Test
  void dumpDecodesBatchesWithOffsetsAndCrc() {
    CliRun r = run("dump", "--topic", "orders", "--partition", "0");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("topics/orders/0/00000000000000000000.log", "batch at 0: offsets 0..", "crc ok")
        .doesNotContain("orders-1");
    CliRun json = run("dump", "--json", "--topic", "orders.dlq", "--no-messages");
    List<String> lines = json.out().lines().toList();
    assertThat(lines.get(0)).contains("\"type\":\"segment\"");
    assertThat(lines.get(1))
        .contains("\"type\":\"batch\"", "\"crc\":\"ok\"")
        .doesNotContain("messages");
  }

  @Test
  void verifyPassesACleanStoreAndNamesCorruption() throws IOException {
    CliRun ok = run("verify", "--progress", "0s");
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("OK");
    assertThat(ok.err()).contains("verify: ", "%");
    closeApplication();

    // The dead-letter topic has one batch per dead letter: break the first, before valid data.
    Path segment = dir.resolve("topics/orders.dlq/0/00000000000000000000.log");
    byte[] bytes = Files.readAllBytes(segment);
    bytes[40] ^= 0x01;
    Files.write(segment, bytes);
    CliRun bad = run("verify", "--json");
    assertThat(bad.code()).as(bad.toString()).isEqualTo(ExitCodes.CORRUPTED);
    assertThat(bad.err()).contains("CORRUPT " + segment + " at position 0");
    JsonNode problem = bad.json().get("problems").get(0);
    assertThat(problem.get("kind").asString()).isEqualTo("CORRUPT");
    assertThat(problem.get("position").asLong()).isZero();
    assertThat(Files.readAllBytes(segment)).as("verify never repairs").isEqualTo(bytes);
    assertThat(run("dump").code()).isEqualTo(ExitCodes.CORRUPTED);
  }

  @Test
  void usageErrorsAndHelp() {
    CliRun help = CliRun.of("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("topics", "reset-offsets", "dlq", "Exit codes");
    CliRun dlqHelp = CliRun.of("dlq", "redrive", "--help");
    assertThat(dlqHelp.code()).isZero();
    assertThat(dlqHelp.out()).contains("--dry-run", "--grep");
    assertThat(CliRun.of().code()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.of("topics", "--bogus").code()).isEqualTo(ExitCodes.USAGE);
    CliRun noStore = CliRun.of("--store", dir.resolve("missing").toString(), "topics");
    assertThat(noStore.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(noStore.err()).contains("no Sluice file store in");
    CliRun storeAfter = CliRun.of("topics", "--store", "file:" + dir);
    assertThat(storeAfter.code()).as(storeAfter.toString()).isZero();
  }
}
