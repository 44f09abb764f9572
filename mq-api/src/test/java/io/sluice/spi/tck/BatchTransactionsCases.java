package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.Lease;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * inTransaction with a batch handler's acks: all of them with the work, or (with transactions) none
 * of them when one is stale.
 */
abstract class BatchTransactionsCases extends ContractCase {
  BatchTransactionsCases(StorageContract contract) {
    super(contract);
  }

  private static AckRequest acks(String group, List<Lease> leases) {
    return new AckRequest(
        group, leases.stream().map(l -> new Ack(l.id(), "p-" + l.id().offset())).toList());
  }

  @Test
  void everyAckOfTheBatchIsAppliedWithItsProcessedKey() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> l = claim(g, t, 3);
    String result = store().inTransaction(acks(g, l), tx -> "done");
    assertThat(result).isEqualTo("done");
    assertThat(committed(g, t, 0)).isEqualTo(3);
    assertThat(store().isProcessed(g, t, "p-0")).isTrue();
    assertThat(store().isProcessed(g, t, "p-2")).isTrue();
  }

  @Test
  void oneStaleAckFailsTheBatchAndWithTransactionsAppliesNone() {
    String t = topic(1);
    fill(t, 0, 3);
    String g = name("g");
    List<Lease> l = claim(g, t, 3);
    ackOk(g, l.get(1));
    assertThatThrownBy(() -> store().inTransaction(acks(g, l), tx -> "done"))
        .isInstanceOfSatisfying(
            StaleDeliveryException.class, e -> assertThat(e.delivery()).isEqualTo(l.get(1).id()));
    if (store().capabilities().transactions()) {
      assertThat(committed(g, t, 0)).as("rolled back: nothing acked").isZero();
      assertThat(store().isProcessed(g, t, "p-0")).isFalse();
      assertThat(ack(g, l.get(0), l.get(2)).applied()).isEqualTo(2);
    } else {
      assertThat(committed(g, t, 0)).as("the valid acks applied").isEqualTo(3);
    }
  }

  @Test
  void theWorksExceptionPassesThroughAndNoAckOfTheBatchIsApplied() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> l = claim(g, t, 2);
    IllegalStateException failure = new IllegalStateException("handler failed");
    assertThatThrownBy(
            () ->
                store()
                    .inTransaction(
                        acks(g, l),
                        tx -> {
                          throw failure;
                        }))
        .isSameAs(failure);
    assertThat(committed(g, t, 0)).isZero();
    assertThat(ack(g, l.get(0), l.get(1)).applied()).isEqualTo(2);
  }

  @Test
  void anEmptyBatchRunsTheWorkOnly() {
    String g = name("g");
    int result = store().inTransaction(new AckRequest(g, List.of()), tx -> 7);
    assertThat(result).isEqualTo(7);
  }
}
