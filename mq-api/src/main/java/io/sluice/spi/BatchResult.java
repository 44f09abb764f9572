package io.sluice.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

  /** The leases of {@code leases} whose delivery this result did not reject, in their order. */
  public List<Lease> notRejected(List<Lease> leases) {
    if (rejected.isEmpty()) {
      return leases;
    }
    Set<DeliveryId> out = new HashSet<>(rejected);
    return leases.stream().filter(l -> !out.contains(l.id())).toList();
  }
}
