package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.Lease;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Processed keys: recorded by an ack, per group and topic, within the dedupe window. */
abstract class ProcessedKeysCases extends ContractCase {
  ProcessedKeysCases(StorageContract contract) {
    super(contract);
  }

  private Lease lease(String g, String t) {
    fill(t, 0, 1);
    return claim(g, t, 1).get(0);
  }

  @Test
  void anAckWithAProcessedKeyRecordsItForThatGroupOnly() {
    String t = topic(1);
    String g = name("g");
    Lease l = lease(g, t);
    assertThat(store().isProcessed(g, t, "order-1")).isFalse();
    assertThat(store().ack(g, List.of(new Ack(l.id(), "order-1"))).applied()).isEqualTo(1);
    assertThat(store().isProcessed(g, t, "order-1")).isTrue();
    assertThat(store().isProcessed(name("g"), t, "order-1")).as("another group").isFalse();
    assertThat(store().isProcessed(g, topic(1), "order-1")).as("another topic").isFalse();
    assertThat(store().isProcessed(g, t, "order-2")).isFalse();
  }

  @Test
  void aProcessedKeyExpiresAfterTheDedupeWindow() {
    String t = topic(TopicConfig.partitions(1).withDedupeWindow(Duration.ofMinutes(5)));
    String g = name("g");
    store().ack(g, List.of(new Ack(lease(g, t).id(), "k")));
    clock().advance(Duration.ofMinutes(5).minusSeconds(1));
    assertThat(store().isProcessed(g, t, "k")).isTrue();
    clock().advance(Duration.ofSeconds(2));
    assertThat(store().isProcessed(g, t, "k")).isFalse();
    store().enforceRetention();
    assertThat(store().isProcessed(g, t, "k")).isFalse();
  }

  @Test
  void aRejectedAckRecordsNoProcessedKey() {
    String t = topic(1);
    String g = name("g");
    Lease l = lease(g, t);
    clock().advance(LEASE.plusMillis(1));
    assertThat(store().ack(g, List.of(new Ack(l.id(), "k"))).rejected()).hasSize(1);
    assertThat(store().isProcessed(g, t, "k")).isFalse();
  }
}
