package io.sluice.consumer.internal;

import io.sluice.consumer.ConsumerListener;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the leases of queued and running deliveries alive: every tick (a tenth of the lease, 10 ms
 * to 1 s) it extends, in one call, every lease with less than half its length left, by a full lease
 * from now. A rejected extension means the lease was already lost: the delivery is counted once as
 * stale and its settle will be rejected by the store. Deliveries a manual handler returned without
 * settling are not extended; once their lease has passed they are forgotten (the store redelivers
 * them).
 */
final class LeaseKeeper extends LoopService {
  private static final int MAX_PER_CALL = 1_000;

  private final Storage storage;
  private final String group;
  private final Duration lease;
  private final InstantSource clock;
  private final ConsumerListener listener;
  private final Set<InFlight> tracked;
  private final long tickMillis;

  LeaseKeeper(
      Storage storage,
      String group,
      Duration lease,
      InstantSource clock,
      ConsumerListener listener,
      Set<InFlight> tracked) {
    super("sluice-" + group + "-leases");
    this.storage = storage;
    this.group = group;
    this.lease = lease;
    this.clock = clock;
    this.listener = listener;
    this.tracked = tracked;
    this.tickMillis = Math.clamp(lease.toMillis() / 10, 10, 1_000);
  }

  @Override
  protected void runOnce() throws InterruptedException {
    waitFor(tickMillis);
    if (!isClosed()) {
      extendDue();
    }
  }

  /** One pass: extend what is due. Package-private for tests. */
  void extendDue() {
    Instant now = clock.instant();
    Instant threshold = now.plus(lease.dividedBy(2));
    List<InFlight> due = new ArrayList<>();
    for (InFlight d : tracked) {
      if (d.isSettled()) {
        tracked.remove(d);
      } else if (d.isLeaseLost()) {
        continue;
      } else if (d.phase() == InFlight.Phase.RETURNED || d.phase() == InFlight.Phase.CANCELLED) {
        if (d.expiresAt().isBefore(now)) {
          tracked.remove(d);
        }
      } else if (!d.expiresAt().isAfter(threshold)) {
        due.add(d);
      }
    }
    for (int i = 0; i < due.size(); i += MAX_PER_CALL) {
      extend(due.subList(i, Math.min(due.size(), i + MAX_PER_CALL)), now);
    }
  }

  private void extend(List<InFlight> batch, Instant now) {
    List<DeliveryId> ids = new ArrayList<>(batch.size());
    batch.forEach(d -> ids.add(d.id()));
    BatchResult result;
    try {
      result = storage.extendLeases(group, ids, lease);
    } catch (RuntimeException e) {
      listener.onError(group, e);
      return;
    }
    Set<DeliveryId> rejected = new HashSet<>(result.rejected());
    Instant expiry = now.plus(lease);
    for (InFlight d : batch) {
      if (rejected.contains(d.id())) {
        if (!d.isSettled() && d.markLeaseLost()) {
          listener.onStaleAck(d);
        }
      } else {
        d.extendedTo(expiry);
      }
    }
  }
}
