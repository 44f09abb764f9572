package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Position;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Claim: what it returns, exclusivity under concurrency, fairness, start positions. */
abstract class ClaimCases extends ContractCase {
  ClaimCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void claimReturnsMessagesInOffsetOrderWithAFirstAttemptLease() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> leases = claim(g, t, 10);
    assertThat(payloads(leases)).containsExactly("m0", "m1", "m2");
    assertThat(offsets(leases)).containsExactly(0L, 1L, 2L);
    for (Lease l : leases) {
      assertThat(l.attempt()).isEqualTo(1);
      assertThat(l.expiresAt()).isEqualTo(now().plus(LEASE));
      assertThat(l.firstDeliveredAt()).isEqualTo(now());
      assertThat(l.id().topic()).isEqualTo(t);
      assertThat(l.message().message().timestamp()).isNotNull();
    }
    assertThat(leases).extracting(l -> l.id().token()).doesNotHaveDuplicates();
  }

  @Test
  void claimHonoursMaxMessages() {
    String t = topic(1);
    fill(t, 0, 5);
    String g = name("g");
    assertThat(offsets(claim(g, t, 2))).containsExactly(0L, 1L);
    assertThat(offsets(claim(g, t, 2))).containsExactly(2L, 3L);
    assertThat(offsets(claim(g, t, 2))).containsExactly(4L);
  }

  @Test
  void aLeasedMessageIsNotClaimedAgain() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    assertThat(claim(g, t, 10)).hasSize(2);
    assertThat(claim(g, t, 10)).isEmpty();
    clock().advance(LEASE.minusMillis(1));
    assertThat(claim(g, t, 10)).isEmpty();
  }

  @Test
  void claimReturnsEmptyWhenNothingIsVisible() {
    String t = topic(3);
    assertThat(claim(name("g"), t, 10)).isEmpty();
  }

  @Test
  void claimOnAnUnknownTopicThrowsTopicNotFound() {
    assertThatThrownBy(() -> claim(name("g"), name("missing"), 1))
        .isInstanceOf(TopicNotFoundException.class);
  }

  @Test
  void partitionsAreServedFairlyAcrossCalls() {
    String t = topic(3);
    for (int p = 0; p < 3; p++) {
      fill(t, p, 10);
    }
    String g = name("g");
    Set<Integer> served = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      for (Lease l : claim(g, t, 1)) {
        served.add(l.id().partition());
      }
    }
    assertThat(served).as("partitions served by 6 claims of 1").containsExactlyInAnyOrder(0, 1, 2);
  }

  /** Messages in the concurrent claim case: 100 in each of 2 partitions. */
  private static final int TOTAL = 200;

  /**
   * Four members claim and ack in loops until every message is acked (each stops early only after
   * 1,000 empty claims in a row, which a correct store never needs: an empty claim means another
   * member holds what is left).
   */
  @Test
  void concurrentMembersNeverHoldOneMessageAtOnceAndEachIsAckedOnce() throws Exception {
    String t = topic(2);
    fill(t, 0, TOTAL / 2);
    fill(t, 1, TOTAL / 2);
    String g = name("g");
    Map<String, String> holders = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Callable<Integer>> members = new ArrayList<>();
    for (int m = 0; m < 4; m++) {
      String member = "member-" + m;
      members.add(() -> consume(g, t, member, holders, acked, violations));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    int leases = 0;
    try {
      for (Future<Integer> f : pool.invokeAll(members)) {
        leases += f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(violations).as("messages held by two members at once").isEmpty();
    assertThat(leases).as("leases granted (no lease expired)").isEqualTo(TOTAL);
    assertThat(acked).hasSize(TOTAL);
    assertThat(acked.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(committed(g, t, 0)).isEqualTo(TOTAL / 2);
    assertThat(committed(g, t, 1)).isEqualTo(TOTAL / 2);
  }

  private int consume(
      String g,
      String t,
      String member,
      Map<String, String> holders,
      Map<String, AtomicInteger> acked,
      List<String> violations) {
    int leases = 0;
    int idle = 0;
    while (acked.size() < TOTAL && idle < 1_000) {
      List<Lease> got = claim(ClaimRequest.of(g, t, 5, Duration.ofMinutes(10)).withMember(member));
      idle = got.isEmpty() ? idle + 1 : 0;
      leases += got.size();
      List<Ack> acks = new ArrayList<>();
      for (Lease l : got) {
        String at = l.id().partition() + "@" + l.id().offset();
        String other = holders.putIfAbsent(at, member);
        if (other != null) {
          violations.add(at + " held by " + other + " and " + member);
        }
        acks.add(Ack.of(l.id()));
      }
      for (Lease l : got) {
        holders.remove(l.id().partition() + "@" + l.id().offset(), member);
      }
      BatchResult r = store().ack(g, acks);
      if (!r.rejected().isEmpty()) {
        violations.add("rejected acks " + r.rejected());
      }
      for (Lease l : got) {
        acked
            .computeIfAbsent(l.id().partition() + "@" + l.id().offset(), k -> new AtomicInteger())
            .incrementAndGet();
      }
      Thread.yield();
    }
    return leases;
  }

  @Test
  void aNewGroupStartsAtTheEarliestMessageByDefault() {
    String t = topic(1);
    fill(t, 0, 3);
    assertThat(offsets(claim(name("g"), t, 10))).containsExactly(0L, 1L, 2L);
  }

  @Test
  void startPositionLatestSkipsWhatWasProducedBefore() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    ClaimRequest latest = ClaimRequest.of(g, t, 10, LEASE).withStartPosition(Position.LATEST);
    assertThat(claim(latest)).isEmpty();
    sendTo(t, 0, msg("new"));
    assertThat(payloads(claim(latest))).containsExactly("new");
  }

  @Test
  void startPositionTimestampStartsAtTheFirstMessageAtOrAfterIt() {
    String t = topic(1);
    fill(t, 0, 2);
    clock().advance(Duration.ofMinutes(1));
    var from = now();
    sendTo(t, 0, msg("later"));
    ClaimRequest req =
        ClaimRequest.of(name("g"), t, 10, LEASE).withStartPosition(Position.timestamp(from));
    assertThat(payloads(claim(req))).containsExactly("later");
  }

  @Test
  void startPositionOffsetIsClampedToTheRetainedRange() {
    String t = topic(1);
    fill(t, 0, 5);
    ClaimRequest at3 =
        ClaimRequest.of(name("g"), t, 10, LEASE).withStartPosition(Position.offset(3));
    assertThat(offsets(claim(at3))).containsExactly(3L, 4L);
    ClaimRequest beyond =
        ClaimRequest.of(name("g"), t, 10, LEASE).withStartPosition(Position.offset(99));
    assertThat(claim(beyond)).isEmpty();
    sendTo(t, 0, msg("next"));
    assertThat(payloads(claim(beyond))).containsExactly("next");
  }

  @Test
  void theStartPositionOnlyAppliesToAPartitionTheGroupNeverConsumed() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    ackOk(g, claim(g, t, 1).get(0));
    ClaimRequest latest = ClaimRequest.of(g, t, 10, LEASE).withStartPosition(Position.LATEST);
    assertThat(offsets(claim(latest))).containsExactly(1L, 2L);
  }
}
