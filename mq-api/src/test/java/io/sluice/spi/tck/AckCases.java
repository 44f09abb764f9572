package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.BatchResult;
import io.sluice.spi.Lease;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ack: done marks, the committed offset, out-of-order acks, partial batches. */
abstract class AckCases extends ContractCase {
  AckCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void ackingEveryClaimedMessageCommitsPastThem() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> l = claim(g, t, 10);
    BatchResult r = ack(g, l.toArray(Lease[]::new));
    assertThat(r.applied()).isEqualTo(3);
    assertThat(r.rejected()).isEmpty();
    assertThat(state(g, t, 0).committedOffset()).isEqualTo(3);
    assertThat(state(g, t, 0).lag()).isZero();
    assertThat(state(g, t, 0).inFlight()).isZero();
  }

  @Test
  void outOfOrderAcksAdvanceTheCommittedOffsetOnlyOverContiguousDoneMessages() {
    String t = topic(1);
    fill(t, 0, 5);
    String g = name("g");
    List<Lease> l = claim(g, t, 5);
    ackOk(g, l.get(1));
    ackOk(g, l.get(3));
    assertThat(committed(g, t, 0)).isZero();
    assertThat(state(g, t, 0).inFlight()).isEqualTo(5);
    ackOk(g, l.get(0));
    assertThat(committed(g, t, 0)).isEqualTo(2);
    ackOk(g, l.get(2));
    assertThat(committed(g, t, 0)).isEqualTo(4);
    ackOk(g, l.get(4));
    assertThat(committed(g, t, 0)).isEqualTo(5);
    assertThat(state(g, t, 0).inFlight()).isZero();
  }

  @Test
  void messagesDoneOutOfOrderAreNotRedelivered() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> l = claim(g, t, 3);
    ackOk(g, l.get(1));
    clock().advance(LEASE.plusSeconds(1));
    assertThat(offsets(claim(g, t, 10))).containsExactly(0L, 2L);
  }

  @Test
  void ackedMessagesAreNeverRedelivered() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 2);
    ack(g, l.toArray(Lease[]::new));
    clock().advance(LEASE.multipliedBy(3));
    assertThat(claim(g, t, 10)).isEmpty();
  }

  @Test
  void oneCallAppliesTheValidAcksAndListsTheStaleOnes() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> l = claim(g, t, 3);
    ackOk(g, l.get(0));
    BatchResult r = ack(g, l.get(0), l.get(1), l.get(2));
    assertThat(r.applied()).isEqualTo(2);
    assertThat(r.rejected()).containsExactly(l.get(0).id());
    assertThat(committed(g, t, 0)).isEqualTo(3);
  }

  @Test
  void acksInOneCallAcrossPartitionsAdvanceEachPartition() {
    String t = topic(2);
    fill(t, 0, 2);
    fill(t, 1, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 10);
    assertThat(l).hasSize(4);
    assertThat(ack(g, l.toArray(Lease[]::new)).applied()).isEqualTo(4);
    assertThat(committed(g, t, 0)).isEqualTo(2);
    assertThat(committed(g, t, 1)).isEqualTo(2);
  }
}
