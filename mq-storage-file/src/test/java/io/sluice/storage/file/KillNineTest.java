package io.sluice.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * F1 and F1b: a child JVM sends with {@code SYNC} from 1 to 8 threads and is killed with SIGKILL at
 * a random point; after each round the store is reopened and every receipted message must be at its
 * offset with identical bytes, offsets dense and unique.
 */
class KillNineTest {
  /**
   * Kill rounds per test: enough for CI to meet kill points in start-up, recovery, group commit and
   * segment writes; the soak ({@code benchmarks/soak.sh}, docs/soak.md) runs a thousand.
   */
  static final int ROUNDS = 10;

  @TempDir Path dir;
  @TempDir Path work;
  final Random random = new Random();

  /** A receipt line: where the child was told its message went. */
  record Receipt(long id, int partition, long offset, boolean duplicate) {}

  @Test
  void everyReceiptedMessageSurvivesKillNineAtItsOffset() throws Exception {
    Map<Long, Receipt> receipts = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      int threads = 1 + random.nextInt(8);
      Round r = runRound(threads, round * 1_000_000L, false, "sync", null);
      receipts.putAll(r.receipts());
      verify(receipts, false);
    }
    assertThat(receipts).isNotEmpty();
  }

  /** F2: the page cache survives the death of the process, so OS and INTERVAL lose nothing. */
  @Test
  void osAndIntervalPoliciesLoseNothingOnKillNine() throws Exception {
    Map<Long, Receipt> receipts = new HashMap<>();
    String[] policies = {"os", "interval"};
    for (int round = 0; round < ROUNDS; round++) {
      Round r =
          runRound(1 + random.nextInt(8), round * 1_000_000L, false, policies[round % 2], null);
      receipts.putAll(r.receipts());
      verify(receipts, false);
    }
  }

  @Test
  void resendingWithIdempotencyKeysAfterKillNineStoresEachKeyOnce() throws Exception {
    Map<Long, Receipt> receipts = new HashMap<>();
    Set<Long> sent = new HashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      Path resend = work.resolve("resend-" + round);
      Files.write(resend, sent.stream().map(String::valueOf).toList());
      Round r = runRound(1 + random.nextInt(8), round * 1_000_000L, true, "sync", resend);
      for (Receipt got : r.receipts().values()) {
        Receipt original = receipts.get(got.id());
        if (original != null) {
          assertThat(got.duplicate()).as("resent id %d", got.id()).isTrue();
          assertThat(got.offset()).isEqualTo(original.offset());
          assertThat(got.partition()).isEqualTo(original.partition());
        } else {
          receipts.put(got.id(), got);
        }
      }
      sent.addAll(r.sent());
      verify(receipts, true);
    }
  }

  /**
   * Attempts count handler starts: a start marked just before the process dies keeps its attempt
   * under every policy (the journal write reaches the OS before markStarted returns), and a claim
   * alone counts none.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sync", "os", "interval"})
  void aStartMarkedRightBeforeKillNineKeepsItsAttempt(String policy) throws Exception {
    try (ChildJvm child = new ChildJvm("start", dir.toString(), policy)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> child.lines.contains("STARTED"));
      child.kill();
    }
    try (FileStorage s = FileStorage.open(FileStorageConfig.builder(dir).build())) {
      List<Lease> again =
          s.claim(ClaimRequest.of("g", ChildProducer.TOPIC, 100, Duration.ofMinutes(1)));
      int half = ChildProducer.STARTS / 2;
      assertThat(again).hasSize(ChildProducer.STARTS);
      assertThat(again.subList(0, half)).extracting(Lease::attempt).containsOnly(2);
      assertThat(again.subList(half, 2 * half)).extracting(Lease::attempt).containsOnly(1);
    }
  }

  record Round(Map<Long, Receipt> receipts, Set<Long> sent) {}

  private Round runRound(int threads, long firstId, boolean keyed, String policy, Path resend)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("produce", dir.toString(), "" + threads, "" + firstId, "" + keyed, policy));
    if (resend != null) {
      args.add(resend.toString());
    }
    Map<Long, Receipt> receipts = new HashMap<>();
    Set<Long> sent = new HashSet<>();
    try (ChildJvm child = new ChildJvm(args.toArray(String[]::new))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> child.lines.stream().anyMatch(l -> l.startsWith("R ")));
      // The random kill point (not a wait for a result); shorter where sends are page-cache fast.
      Thread.sleep(policy.equals("sync") ? 100 + random.nextInt(600) : 5 + random.nextInt(40));
      child.kill();
      for (String line : child.lines) {
        String[] f = line.split(" ");
        if (f[0].equals("S")) {
          sent.add(Long.parseLong(f[1]));
        } else if (f[0].equals("R")) {
          long id = Long.parseLong(f[1]);
          receipts.put(
              id,
              new Receipt(
                  id, Integer.parseInt(f[2]), Long.parseLong(f[3]), Boolean.parseBoolean(f[4])));
        }
      }
    }
    return new Round(receipts, sent);
  }

  private void verify(Map<Long, Receipt> receipts, boolean keyed) {
    try (FileStorage s = FileStorage.open(FileStorageConfig.builder(dir).build())) {
      Map<String, Long> idAt = new HashMap<>();
      Set<Long> ids = new HashSet<>();
      for (int p = 0; p < ChildProducer.PARTITIONS; p++) {
        long end = s.describeTopic(ChildProducer.TOPIC).partitions().get(p).endOffset();
        List<StoredMessage> all =
            end == 0 ? List.of() : s.read(ChildProducer.TOPIC, p, 0, (int) end);
        assertThat(all).hasSize((int) end);
        for (int i = 0; i < all.size(); i++) {
          StoredMessage m = all.get(i);
          assertThat(m.offset()).as("dense offsets").isEqualTo(i);
          long id = Long.parseLong(m.message().payloadAsString().split(":")[1]);
          assertThat(m.message())
              .isEqualTo(ChildProducer.message(id, keyed).withTimestamp(m.message().timestamp()));
          assertThat(ids.add(id)).as("id %d stored once", id).isTrue();
          idAt.put(p + "/" + m.offset(), id);
        }
      }
      for (Receipt r : receipts.values()) {
        assertThat(idAt.get(r.partition() + "/" + r.offset()))
            .as("receipted id %d at %d/%d", r.id(), r.partition(), r.offset())
            .isEqualTo(r.id());
      }
      assertThat(receipts.keySet().stream().collect(Collectors.toSet())).isSubsetOf(ids);
    }
  }
}
