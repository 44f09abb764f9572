package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.tck.SettableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two JVMs claim from one topic of one shared database: every message is processed, and no message
 * is ever held by both at once (each is claimed exactly once, since no lease expires).
 */
class PostgresMultiProcessTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  static final int MESSAGES = 2_000;

  @Test
  void twoProcessesShareTheWorkWithoutOverlap() throws Exception {
    try (JdbcStorage store = Stores.open(PG.dataSource(), PG.schema(), new SettableClock())) {
      store.createTopic("work", TopicConfig.partitions(3));
      for (int b = 0; b < MESSAGES / 100; b++) {
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(OutgoingMessage.of(Message.of("m" + (b * 100 + i))));
        }
        store.append("work", batch);
      }
    }
    List<CompletableFuture<List<String>>> outputs = new ArrayList<>();
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Process p = child().start();
      processes.add(p);
      outputs.add(CompletableFuture.supplyAsync(() -> lines(p)));
    }
    Map<String, Integer> claims = new HashMap<>();
    Set<String> acked = new HashSet<>();
    List<Set<String>> perProcess = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      assertThat(processes.get(i).waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(processes.get(i).exitValue()).isZero();
      List<String> lines = outputs.get(i).get(10, TimeUnit.SECONDS);
      assertThat(lines).last().isEqualTo("DONE");
      Set<String> mine = new HashSet<>();
      for (String line : lines) {
        String[] f = line.split(" ");
        if (f[0].equals("C")) {
          claims.merge(f[1] + "@" + f[2], 1, Integer::sum);
          mine.add(f[1] + "@" + f[2]);
        } else if (f[0].equals("A")) {
          acked.add(f[1] + "@" + f[2]);
        }
      }
      perProcess.add(mine);
    }
    assertThat(claims).hasSize(MESSAGES);
    assertThat(claims.values()).as("no message claimed twice").allMatch(n -> n == 1);
    assertThat(acked).hasSize(MESSAGES);
    assertThat(perProcess).as("both processes did work").allMatch(s -> !s.isEmpty());
  }

  private static ProcessBuilder child() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Xshare:auto",
            ClaimWorker.class.getName(),
            PG.url(),
            PG.user(),
            PG.schema(),
            "work",
            "g")
        .redirectError(ProcessBuilder.Redirect.INHERIT);
  }

  private static List<String> lines(Process p) {
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.add(line);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}
