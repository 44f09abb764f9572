package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StaleDeliveryException;
import io.sluice.spi.Ack;
import io.sluice.spi.Lease;
import java.io.IOException;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** inTransaction: work then ack; the work's exception passes through and nothing is acked. */
abstract class TransactionsCases extends ContractCase {
  TransactionsCases(StorageContract contract) {
    super(contract);
  }

  private Lease lease(String g, String t) {
    fill(t, 0, 1);
    return claim(g, t, 1).get(0);
  }

  @Test
  void theWorksResultIsReturnedAndTheDeliveryAckedWithItsProcessedKey() {
    String t = topic(1);
    String g = name("g");
    Lease l = lease(g, t);
    String result = store().inTransaction(g, new Ack(l.id(), "p-1"), tx -> "done");
    assertThat(result).isEqualTo("done");
    assertThat(committed(g, t, 0)).isEqualTo(1);
    assertThat(store().isProcessed(g, t, "p-1")).isTrue();
  }

  @Test
  void theWorksExceptionPassesThroughUnchangedAndNothingIsAcked() {
    String t = topic(1);
    String g = name("g");
    Lease l = lease(g, t);
    IOException failure = new IOException("handler failed");
    assertThatThrownBy(
            () ->
                store()
                    .inTransaction(
                        g,
                        new Ack(l.id(), "p-1"),
                        tx -> {
                          throw failure;
                        }))
        .isSameAs(failure);
    assertThat(committed(g, t, 0)).isZero();
    assertThat(store().isProcessed(g, t, "p-1")).isFalse();
    ackOk(g, l);
  }

  @Test
  void theContextUnwrapsAConnectionExactlyWhenTheBackendHasTransactions() {
    String t = topic(1);
    String g = name("g");
    Lease l = lease(g, t);
    boolean transactions = store().capabilities().transactions();
    boolean unwrapped =
        store().inTransaction(g, Ack.of(l.id()), tx -> tx.unwrap(Connection.class).isPresent());
    assertThat(unwrapped).isEqualTo(transactions);
  }

  @Test
  void aStaleAckThrowsStaleDelivery() {
    String t = topic(1);
    String g = name("g");
    Lease l = lease(g, t);
    ackOk(g, l);
    assertThatThrownBy(() -> store().inTransaction(g, Ack.of(l.id()), tx -> 1))
        .isInstanceOf(StaleDeliveryException.class);
    assertThat(committed(g, t, 0)).isEqualTo(1);
  }
}
