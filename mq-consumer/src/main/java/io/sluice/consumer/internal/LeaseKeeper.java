package io.sluice.consumer.internal;

import io.sluice.api.internal.LoopService;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.ExtendRequest;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the leases of queued and running deliveries alive, and stops handlers that run too long.
 * Every tick (a tenth of the lease, 10 ms to 1 s) it extends, in one call, every lease with less
 * than half its length left, by a full lease from now. A rejected extension means the lease was
 * already lost: the delivery is counted once as stale and its settle will be rejected by the store.
 * A handler running for {@code maxHandlerTime} or longer (on the runtime's clock) is no longer
 * extended and goes to {@code overran}, which interrupts it and settles its delivery as a failed
 * attempt. Deliveries a manual handler returned without settling are not extended; once their lease
 * has passed they are forgotten (the store redelivers them).
 */
final class LeaseKeeper extends LoopService {
  private static final int MAX_PER_CALL = 1_000;

  private final Storage storage;
  private final String group;
  private final Duration lease;
  private final Duration maxHandlerTime;
  private final InstantSource clock;
  private final ConsumerListener listener;
  private final InFlight inFlight;
  private final Consumer<DeliveryTask> overran;
  private final long tickMillis;

  LeaseKeeper(
      Storage storage,
      GroupConfig config,
      InstantSource clock,
      ConsumerListener listener,
      InFlight inFlight,
      Consumer<DeliveryTask> overran) {
    super("sluice-" + config.group() + "-leases");
    this.storage = storage;
    this.group = config.group();
    this.lease = config.lease();
    this.maxHandlerTime = config.maxHandlerTime();
    this.clock = clock;
    this.listener = listener;
    this.inFlight = inFlight;
    this.overran = overran;
    this.tickMillis = Math.clamp(lease.toMillis() / 10, 10, 1_000);
  }

  @Override
  protected void runOnce() throws InterruptedException {
    waitFor(tickMillis);
    if (!isClosed()) {
      extendDue();
    }
  }

  /**
   * Half of {@code d}, rounded down to the nanosecond as {@link Duration#dividedBy(long)} does,
   * without its {@code BigDecimal} arithmetic (whose class initialization would otherwise run on
   * the first pass, while the group starts).
   */
  static Duration half(Duration d) {
    return Duration.ofSeconds(
        d.getSeconds() / 2, (d.getSeconds() % 2) * 500_000_000L + d.getNano() / 2);
  }

  /** One pass: stop overrunning handlers, extend what is due. Package-private for tests. */
  void extendDue() {
    Instant now = clock.instant();
    Instant threshold = now.plus(half(lease));
    List<DeliveryTask> due = new ArrayList<>();
    List<DeliveryTask> late = new ArrayList<>();
    inFlight.forEach(
        t -> {
          int phase = t.phase();
          if (t.isSettled() || (phase == DeliveryTask.RETURNED && t.expiresAt().isBefore(now))) {
            t.untrack();
          } else if (t.isLeaseLost() || phase == DeliveryTask.RETURNED || t.isTimedOut()) {
            return;
          } else if (phase == DeliveryTask.RUNNING && overran(t, now)) {
            late.add(t);
          } else if (!t.expiresAt().isAfter(threshold)) {
            due.add(t);
          }
        });
    late.forEach(overran);
    for (int i = 0; i < due.size(); i += MAX_PER_CALL) {
      extend(due.subList(i, Math.min(due.size(), i + MAX_PER_CALL)), now);
    }
  }

  private boolean overran(DeliveryTask t, Instant now) {
    Instant started = t.startedAt();
    return started != null && !now.isBefore(started.plus(maxHandlerTime));
  }

  private void extend(List<DeliveryTask> batch, Instant now) {
    List<DeliveryId> ids = new ArrayList<>(batch.size());
    batch.forEach(d -> ids.add(d.id()));
    BatchResult result;
    try {
      result = storage.extendLeases(new ExtendRequest(group, ids, lease));
    } catch (RuntimeException e) {
      listener.onError(group, e);
      return;
    }
    Set<DeliveryId> rejected =
        result.rejected().isEmpty() ? Set.of() : new HashSet<>(result.rejected());
    Instant expiry = now.plus(lease);
    for (DeliveryTask d : batch) {
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
