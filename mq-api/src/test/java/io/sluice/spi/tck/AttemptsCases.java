package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Ordering;
import io.sluice.spi.BatchResult;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.StartRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attempts count handler runs, not claims: {@code markStarted} (or a failed attempt reported by a
 * counted release) counts one; a lease that expires unstarted (a prefetched message of a member
 * that died) leaves the attempt number as it was.
 */
abstract class AttemptsCases extends ContractCase {
  AttemptsCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void aLeaseThatExpiresUnstartedUsesUpNoAttempt() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 2);
    started(g, l.get(0));
    for (int crash = 0; crash < 5; crash++) {
      clock().advance(LEASE.plusMillis(1));
      List<Lease> again = claim(g, t, 2);
      assertThat(offsets(again)).containsExactly(0L, 1L);
      assertThat(again)
          .as("offset 0 started once; offset 1 was only ever claimed")
          .extracting(Lease::attempt)
          .containsExactly(2, 1);
    }
  }

  @Test
  void eachStartCountsOneAttempt() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    for (int attempt = 1; attempt <= 4; attempt++) {
      Lease l = claim(g, t, 1).get(0);
      assertThat(l.attempt()).isEqualTo(attempt);
      started(g, l);
      clock().advance(LEASE.plusMillis(1));
    }
  }

  @Test
  void markingALeaseTwiceCountsOnce() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    started(g, l);
    started(g, l);
    store().release(ReleaseRequest.retry(g, l.id(), Duration.ZERO));
    assertThat(claim(g, t, 1).get(0).attempt()).isEqualTo(2);
  }

  @Test
  void aStartedLeaseReleasedAsFailedCountsOnce() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    started(g, l);
    store().release(ReleaseRequest.retry(g, l.id(), Duration.ZERO));
    Lease again = claim(g, t, 1).get(0);
    assertThat(again.attempt()).isEqualTo(2);
  }

  @Test
  void aStartedLeaseHandedBackUnprocessedTakesItsAttemptBack() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    started(g, l);
    store().release(ReleaseRequest.unprocessed(g, l.id()));
    assertThat(claim(g, t, 1).get(0).attempt()).isEqualTo(1);
  }

  @Test
  void markStartedRejectsStaleAndUnknownLeasesAndAppliesTheRest() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 2);
    ackOk(g, l.get(1));
    DeliveryId unknown = new DeliveryId(t, 0, 99, 1);
    BatchResult r =
        store().markStarted(new StartRequest(g, List.of(l.get(0).id(), l.get(1).id(), unknown)));
    assertThat(r.applied()).isEqualTo(1);
    assertThat(r.rejected()).containsExactlyInAnyOrder(l.get(1).id(), unknown);
  }

  @Test
  void anExpiredLeaseCannotBeMarkedStarted() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    clock().advance(LEASE.plusMillis(1));
    BatchResult r = store().markStarted(new StartRequest(g, List.of(l.id())));
    assertThat(r.rejected()).containsExactly(l.id());
    assertThat(claim(g, t, 1).get(0).attempt()).isEqualTo(1);
  }

  @Test
  void anEmptyStartRequestChangesNothing() {
    String g = name("g");
    assertThat(store().markStarted(new StartRequest(g, List.of())).applied()).isZero();
  }

  @Test
  void startsSurviveReopenOnAPersistentStore() {
    if (!store().capabilities().persistent()) {
      return; // PersistenceCases asserts what a store that is not persistent does
    }
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 2);
    started(g, l.get(0));
    contract().reopenCurrent();
    clock().advance(LEASE.plusMillis(1));
    assertThat(claim(g, t, 2)).extracting(Lease::attempt).containsExactly(2, 1);
  }

  /** Claims with {@code start}: every returned lease has its attempt counted. */
  private List<Lease> claimStarting(String g, String t, int max, Ordering ordering) {
    return claim(ClaimRequest.of(g, t, max, LEASE).withOrdering(ordering).withStart(true));
  }

  @Test
  void aClaimThatStartsCountsTheAttemptOfEveryLeaseItReturns() {
    for (Ordering ordering : Ordering.values()) {
      String t = topic(2);
      fill(t, 0, 3); // a run of three
      fill(t, 1, 1); // and a single message
      String g = name("g");
      List<Lease> first = claimStarting(g, t, 10, ordering);
      assertThat(first).as("%s", ordering).hasSize(4);
      assertThat(first).extracting(Lease::attempt).containsOnly(1);
      clock().advance(LEASE.plusMillis(1));
      assertThat(claim(g, t, 10))
          .as("%s: each of the four expired after its counted attempt", ordering)
          .hasSize(4)
          .extracting(Lease::attempt)
          .containsOnly(2);
    }
  }

  @Test
  void aClaimThatStartsARedeliveryCountsItsAttempt() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    claim(g, t, 2); // claimed, never started
    clock().advance(LEASE.plusMillis(1));
    List<Lease> again = claimStarting(g, t, 2, Ordering.UNORDERED);
    assertThat(again).extracting(Lease::attempt).containsExactly(1, 1);
    clock().advance(LEASE.plusMillis(1));
    assertThat(claim(g, t, 2)).extracting(Lease::attempt).containsExactly(2, 2);
  }

  @Test
  void aLeaseAClaimStartedCountsOnceWhenMarkedAgainOrReleasedAsFailed() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claimStarting(g, t, 2, Ordering.UNORDERED);
    started(g, l.get(0), l.get(1)); // applies (the leases are current) but counts nothing more
    store().release(ReleaseRequest.retry(g, l.get(0).id(), Duration.ZERO));
    clock().advance(LEASE.plusMillis(1));
    assertThat(claim(g, t, 2)).extracting(Lease::attempt).containsExactly(2, 2);
  }

  @Test
  void aLeaseAClaimStartedHandedBackUnprocessedTakesItsAttemptBack() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claimStarting(g, t, 2, Ordering.UNORDERED);
    store().release(ReleaseRequest.unprocessed(g, l.get(0).id()));
    store().release(ReleaseRequest.unprocessed(g, l.get(1).id()));
    assertThat(claim(g, t, 2)).extracting(Lease::attempt).containsExactly(1, 1);
  }

  @Test
  void aClaimThatStartsButFindsNothingChangesNothing() {
    String t = topic(1);
    String g = name("g");
    assertThat(claimStarting(g, t, 5, Ordering.UNORDERED)).isEmpty();
    fill(t, 0, 1);
    assertThat(claim(g, t, 5)).extracting(Lease::attempt).containsExactly(1);
  }

  @Test
  void startsOfAClaimSurviveReopenOnAPersistentStore() {
    if (!store().capabilities().persistent()) {
      return; // PersistenceCases asserts what a store that is not persistent does
    }
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    assertThat(claimStarting(g, t, 2, Ordering.UNORDERED)).hasSize(2);
    contract().reopenCurrent();
    clock().advance(LEASE.plusMillis(1));
    assertThat(claim(g, t, 2)).extracting(Lease::attempt).containsExactly(2, 2);
  }
}
