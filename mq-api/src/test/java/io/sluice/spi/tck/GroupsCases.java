package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Position;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Groups: independence (publish/subscribe), group state and lag, listing. */
abstract class GroupsCases extends ContractCase {
  GroupsCases(StorageContract contract) {
    super(contract);
  }

  @Test
  void everyGroupGetsEveryMessageIndependently() {
    String t = topic(2);
    fill(t, 0, 2);
    fill(t, 1, 2);
    String g1 = name("g");
    String g2 = name("g");
    List<Lease> a = claim(g1, t, 10);
    List<Lease> b = claim(g2, t, 10);
    assertThat(a).hasSize(4);
    assertThat(b).hasSize(4);
    ack(g1, a.toArray(Lease[]::new));
    assertThat(committed(g1, t, 0)).isEqualTo(2);
    assertThat(committed(g2, t, 0)).isZero();
    assertThat(ack(g2, b.toArray(Lease[]::new)).applied()).isEqualTo(4);
  }

  @Test
  void groupStateReportsCommittedEndInFlightAndLagPerPartition() {
    String t = topic(2);
    fill(t, 0, 5);
    fill(t, 1, 1);
    String g = name("g");
    List<Lease> l = claim(g, t, 10);
    Lease p0o0 =
        l.stream()
            .filter(x -> x.id().partition() == 0 && x.id().offset() == 0)
            .findFirst()
            .orElseThrow();
    Lease p0o2 =
        l.stream()
            .filter(x -> x.id().partition() == 0 && x.id().offset() == 2)
            .findFirst()
            .orElseThrow();
    ackOk(g, p0o0);
    ackOk(g, p0o2);
    List<GroupPartition> s = store().groupState(g, t);
    assertThat(s).extracting(GroupPartition::partition).containsExactly(0, 1);
    assertThat(s.get(0)).isEqualTo(new GroupPartition(0, 1, 5, 4, 3));
    assertThat(s.get(0).lag()).as("offset 2 is done out of order: it does not count").isEqualTo(3);
    assertThat(s.get(1)).isEqualTo(new GroupPartition(1, 0, 1, 1));
  }

  @Test
  void aGroupThatNeverConsumedReportsTheLogStart() {
    String t = topic(2);
    fill(t, 0, 3);
    assertThat(store().groupState(name("g"), t))
        .containsExactly(new GroupPartition(0, 0, 3, 0), new GroupPartition(1, 0, 0, 0));
  }

  @Test
  void listGroupsNamesTheGroupsThatConsumedSorted() {
    String t = topic(1);
    fill(t, 0, 1);
    assertThat(store().listGroups(t)).isEmpty();
    String b = name("b");
    String a = name("a");
    claim(b, t, 1);
    store().seek(a, t, 0, Position.EARLIEST);
    assertThat(store().listGroups(t)).containsExactly(a, b);
    assertThat(store().listGroups(topic(1))).isEmpty();
  }
}
