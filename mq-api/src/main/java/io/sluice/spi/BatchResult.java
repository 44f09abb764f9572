package io.sluice.spi;

import java.util.List;

/**
 * What a batch operation (ack, extend) did: how many entries it applied and which it rejected
 * because their lease was expired, re-granted or already settled.
 */
public record BatchResult(int applied, List<DeliveryId> rejected) {
  public BatchResult {
    rejected = List.copyOf(rejected);
  }

  public static BatchResult allApplied(int applied) {
    return new BatchResult(applied, List.of());
  }
}
