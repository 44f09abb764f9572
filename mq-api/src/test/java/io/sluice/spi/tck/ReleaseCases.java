package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Lease;
import io.sluice.spi.ReleaseRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Release: backoff hides a message until its time; attempts counted or taken back. */
abstract class ReleaseCases extends ContractCase {
  ReleaseCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void releaseWithBackoffHidesTheMessageUntilItsTime() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    store().release(new ReleaseRequest(g, l.id(), Duration.ofSeconds(10), true));
    assertThat(claim(g, t, 1)).isEmpty();
    clock().advance(Duration.ofSeconds(10).minusMillis(1));
    assertThat(claim(g, t, 1)).isEmpty();
    clock().advance(Duration.ofMillis(1));
    Lease again = claim(g, t, 1).get(0);
    assertThat(again.id().offset()).isZero();
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.id().token()).isNotEqualTo(l.id().token());
  }

  @Test
  void releaseAtOrBeforeNowMakesTheMessageVisibleAtOnce() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 2);
    store().release(new ReleaseRequest(g, l.get(0).id(), Duration.ZERO, true));
    store().release(new ReleaseRequest(g, l.get(1).id(), Duration.ZERO, true));
    assertThat(claim(g, t, 10)).extracting(Lease::attempt).containsExactly(2, 2);
  }

  @Test
  void releaseWithoutCountingTakesTheAttemptBack() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    store().release(new ReleaseRequest(g, l.id(), Duration.ZERO, false));
    Lease again = claim(g, t, 1).get(0);
    assertThat(again.attempt()).isEqualTo(1);
  }

  @Test
  void aReleasedMessageHoldsTheCommittedOffsetAndLaterOnesStillFlow() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> l = claim(g, t, 3);
    store().release(new ReleaseRequest(g, l.get(0).id(), Duration.ofSeconds(30), true));
    ackOk(g, l.get(1));
    ackOk(g, l.get(2));
    assertThat(committed(g, t, 0)).isZero();
    assertThat(state(g, t, 0).inFlight()).isEqualTo(3);
    clock().advance(Duration.ofSeconds(30));
    Lease retry = claim(g, t, 10).get(0);
    ackOk(g, retry);
    assertThat(committed(g, t, 0)).isEqualTo(3);
  }
}
