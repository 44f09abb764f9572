package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.ReleaseRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fencing: acks, releases and extensions naming a stale grant are rejected, never applied. */
abstract class FencingCases extends ContractCase {
  FencingCases(StorageContract contract) {
    super(contract);
  }

  private Lease oneLease(String g, String t) {
    fill(t, 0, 1);
    return claim(g, t, 1).get(0);
  }

  @Test
  void ackingTwiceRejectsTheSecond() {
    String t = topic(1);
    String g = name("g");
    Lease l = oneLease(g, t);
    ackOk(g, l);
    BatchResult r = ack(g, l);
    assertThat(r.applied()).isZero();
    assertThat(r.rejected()).containsExactly(l.id());
    assertThat(committed(g, t, 0)).isEqualTo(1);
  }

  @Test
  void anAckAfterExpiryIsRejectedAndTheMessageStaysPending() {
    String t = topic(1);
    String g = name("g");
    Lease l = oneLease(g, t);
    clock().advance(LEASE.plusMillis(1));
    assertThat(ack(g, l).rejected()).containsExactly(l.id());
    assertThat(committed(g, t, 0)).isZero();
    assertThat(claim(g, t, 1)).hasSize(1);
  }

  @Test
  void theOldTokenIsRejectedAfterAReclaimAndTheNewOneWorks() {
    String t = topic(1);
    String g = name("g");
    Lease old = oneLease(g, t);
    clock().advance(LEASE.plusMillis(1));
    Lease current = claim(g, t, 1).get(0);
    assertThat(ack(g, old).rejected()).containsExactly(old.id());
    assertThat(committed(g, t, 0)).isZero();
    ackOk(g, current);
    assertThat(committed(g, t, 0)).isEqualTo(1);
  }

  @Test
  void anUnknownTokenIsRejected() {
    String t = topic(1);
    String g = name("g");
    Lease l = oneLease(g, t);
    DeliveryId forged = new DeliveryId(t, 0, 0, l.id().token() + 1_000_003);
    assertThat(store().ack(g, List.of(io.sluice.spi.Ack.of(forged))).rejected())
        .containsExactly(forged);
    DeliveryId otherGroup = l.id();
    assertThat(store().ack(name("g"), List.of(io.sluice.spi.Ack.of(otherGroup))).rejected())
        .as("a lease of one group acked in another")
        .containsExactly(otherGroup);
    ackOk(g, l);
  }

  @Test
  void releasingAStaleDeliveryThrowsAndChangesNothing() {
    String t = topic(1);
    String g = name("g");
    Lease old = oneLease(g, t);
    clock().advance(LEASE.plusMillis(1));
    Lease current = claim(g, t, 1).get(0);
    assertThatThrownBy(() -> store().release(new ReleaseRequest(g, old.id(), Duration.ZERO, true)))
        .isInstanceOf(StaleDeliveryException.class)
        .satisfies(e -> assertThat(((StaleDeliveryException) e).delivery()).isEqualTo(old.id()));
    assertThat(claim(g, t, 1)).as("the current lease still holds the message").isEmpty();
    ackOk(g, current);
  }

  @Test
  void releasingTwiceOrAfterAckThrowsStaleDelivery() {
    String t = topic(1);
    String g = name("g");
    Lease l = oneLease(g, t);
    store().release(new ReleaseRequest(g, l.id(), Duration.ofSeconds(60), true));
    assertThatThrownBy(() -> store().release(new ReleaseRequest(g, l.id(), Duration.ZERO, true)))
        .isInstanceOf(StaleDeliveryException.class);
    assertThat(claim(g, t, 1)).as("the first release's delay still holds").isEmpty();
    Lease l2 = oneLease(g, t);
    ackOk(g, l2);
    assertThatThrownBy(() -> store().release(new ReleaseRequest(g, l2.id(), Duration.ZERO, true)))
        .isInstanceOf(StaleDeliveryException.class);
  }

  @Test
  void anAckAfterReleaseIsRejected() {
    String t = topic(1);
    String g = name("g");
    Lease l = oneLease(g, t);
    store().release(new ReleaseRequest(g, l.id(), Duration.ZERO, true));
    assertThat(ack(g, l).rejected()).containsExactly(l.id());
    assertThat(claim(g, t, 1)).hasSize(1);
  }

  @Test
  void extendingStaleLeasesListsThemAndAppliesTheRest() {
    String t = topic(1);
    String g = name("g");
    fill(t, 0, 3);
    List<Lease> l = claim(g, t, 3);
    ackOk(g, l.get(0));
    clock().advance(LEASE.minusSeconds(1));
    BatchResult r = store().extendLeases(g, List.of(l.get(0).id(), l.get(1).id()), LEASE);
    assertThat(r.applied()).isEqualTo(1);
    assertThat(r.rejected()).containsExactly(l.get(0).id());
    clock().advance(LEASE.minusSeconds(2));
    assertThat(offsets(claim(g, t, 10)))
        .as("only the unextended lease expired")
        .containsExactly(2L);
    clock().advance(LEASE);
    BatchResult late = store().extendLeases(g, List.of(l.get(1).id()), LEASE);
    assertThat(late.rejected()).as("extension of an expired lease").containsExactly(l.get(1).id());
  }

  @Test
  void everyGrantOfAMessageHasItsOwnToken() {
    String t = topic(1);
    String g = name("g");
    Lease a = oneLease(g, t);
    store().release(new ReleaseRequest(g, a.id(), Duration.ZERO, true));
    Lease b = claim(g, t, 1).get(0);
    clock().advance(LEASE.plusMillis(1));
    Lease c = claim(g, t, 1).get(0);
    assertThat(List.of(a.id().token(), b.id().token(), c.id().token())).doesNotHaveDuplicates();
  }
}
