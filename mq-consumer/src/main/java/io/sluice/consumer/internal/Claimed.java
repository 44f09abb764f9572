package io.sluice.consumer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The deliveries one claim call returned, tracked together in {@link InFlight}: the batch is
 * registered once and leaves when its last delivery stops being tracked, so tracking costs one
 * registry change per claim rather than two per delivery.
 */
final class Claimed {
  private static final VarHandle LIVE;

  static {
    try {
      LIVE = MethodHandles.lookup().findVarHandle(Claimed.class, "live", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final InFlight registry;
  private DeliveryTask[] tasks;
  private volatile int live;

  Claimed(InFlight registry) {
    this.registry = registry;
  }

  /** Sets the tasks and registers the batch; before any of them can settle. */
  void track(DeliveryTask[] tasks) {
    this.tasks = tasks;
    this.live = tasks.length;
    registry.add(this);
  }

  DeliveryTask[] tasks() {
    return tasks;
  }

  /** One delivery stopped being tracked; the last one takes the batch out of the registry. */
  void left() {
    if ((int) LIVE.getAndAdd(this, -1) == 1) {
      registry.remove(this);
    }
  }
}
