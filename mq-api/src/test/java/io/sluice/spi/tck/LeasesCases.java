package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.BatchResult;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lease expiry redelivers and counts an attempt; extension keeps a lease alive. */
abstract class LeasesCases extends ContractCase {
  LeasesCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void anExpiredLeaseRedeliversWithTheNextAttemptAndANewToken() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease first = claim(g, t, 1).get(0);
    started(g, first);
    clock().advance(LEASE.plusMillis(1));
    Lease second = claim(g, t, 1).get(0);
    assertThat(second.id().offset()).isEqualTo(first.id().offset());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.id().token()).isNotEqualTo(first.id().token());
    assertThat(second.firstDeliveredAt()).isEqualTo(first.firstDeliveredAt());
    assertThat(second.expiresAt()).isEqualTo(now().plus(LEASE));
    started(g, second);
    clock().advance(LEASE.plusMillis(1));
    assertThat(claim(g, t, 1).get(0).attempt()).isEqualTo(3);
  }

  @Test
  void aLeaseHoldsUntilItsExpiry() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    claim(ClaimRequest.of(g, t, 1, Duration.ofSeconds(5)));
    clock().advance(Duration.ofSeconds(5).minusMillis(1));
    assertThat(claim(g, t, 1)).isEmpty();
    clock().advance(Duration.ofMillis(2));
    assertThat(claim(g, t, 1)).hasSize(1);
  }

  @Test
  void extendingALeaseKeepsTheMessageFromBeingReclaimed() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(ClaimRequest.of(g, t, 1, Duration.ofSeconds(10))).get(0);
    clock().advance(Duration.ofSeconds(8));
    BatchResult r = store().extendLeases(g, List.of(l.id()), Duration.ofSeconds(10));
    assertThat(r.applied()).isEqualTo(1);
    assertThat(r.rejected()).isEmpty();
    clock().advance(Duration.ofSeconds(8));
    assertThat(claim(g, t, 1)).as("16 s after claim, 8 s after a 10 s extension").isEmpty();
    ackOk(g, l);
    assertThat(committed(g, t, 0)).isEqualTo(1);
  }

  @Test
  void anExtendedLeaseExpiresAtItsNewTime() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(ClaimRequest.of(g, t, 1, Duration.ofSeconds(10))).get(0);
    started(g, l);
    store().extendLeases(g, List.of(l.id()), Duration.ofSeconds(20));
    clock().advance(Duration.ofSeconds(20).plusMillis(1));
    Lease again = claim(g, t, 1).get(0);
    assertThat(again.attempt()).isEqualTo(2);
  }

  @Test
  void anExpiredRetryAndANeverClaimedMessageComeInOffsetOrder() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> l = claim(g, t, 2);
    started(g, l.get(0));
    ackOk(g, l.get(1));
    clock().advance(LEASE.plusMillis(1));
    List<Lease> again = claim(g, t, 10);
    assertThat(offsets(again)).containsExactly(0L, 2L);
    assertThat(again).extracting(Lease::attempt).containsExactly(2, 1);
  }
}
