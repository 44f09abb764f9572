package io.sluice.consumer.internal;

import io.sluice.api.error.StorageClosedException;
import io.sluice.api.internal.LoopService;
import io.sluice.spi.Ack;
import io.sluice.spi.AckRequest;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Gathers the acks of many handlers into one {@link Storage#ack} call, so a slow ack (an fsync, a
 * database commit) never holds a handler slot. Handlers push their delivery on a lock-free stack
 * and go on; the batcher thread takes the whole stack, acks it in calls of up to {@value
 * #MAX_BATCH}, and hands each delivery's answer to its {@link Settler} (applied, rejected as stale,
 * or failed: then the lease runs out and the message is redelivered). Under load the batches grow
 * by themselves: whatever arrived while the previous call ran goes in the next one. Between calls
 * the thread naps ({@value #NAP_NANOS} ns at a time; adds do not wake it, so acks gather instead of
 * each paying a wake-up), and after {@value #NAPS} empty naps it sleeps until an add wakes it. A
 * manual ack, whose caller waits for the answer, wakes it at once. Close applies what is pending,
 * then stops; an ack added after close fails at once.
 */
final class AckBatcher extends LoopService {
  /** What an ack is for: a handled delivery, a duplicate skipped, another group's redrive. */
  static final byte ACK = 0;

  static final byte DUPLICATE = 1;
  static final byte REDRIVE = 2;

  private static final int MAX_BATCH = 4_096;
  private static final long NAP_NANOS = 100_000;
  private static final int NAPS = 50;
  private static final int AWAKE = 0;
  private static final int NAPPING = 1;
  private static final int SLEEPING = 2;

  private final Storage storage;
  private final String group;
  private final Arrivals<DeliveryTask> arrivals = new Arrivals<>();
  private final ArrayList<DeliveryTask> taken = new ArrayList<>();
  private final Consumer<DeliveryTask> takeOne = taken::add;
  private final AtomicLong added = new AtomicLong();
  private volatile long applied;
  private volatile boolean finished;
  private volatile int rest;
  private volatile Thread loop;
  private int emptyNaps;

  AckBatcher(Storage storage, String group) {
    super("sluice-" + group + "-acks");
    this.storage = storage;
    this.group = group;
  }

  /** The SPI ack of {@code t}, with the processed key its message records. */
  static Ack ackOf(DeliveryTask t) {
    return new Ack(t.id(), DerivedKeys.processedKey(t.message()));
  }

  /**
   * Queues {@code t}'s ack; its answer comes through {@link DeliveryTask#acked}. {@code waited}:
   * the caller waits for the answer, so the thread is woken even from a nap. Lock-free: one
   * compare-and-set on the stack of arrivals.
   */
  void add(DeliveryTask t, boolean waited) {
    if (finished) {
      t.acked(false, closedError());
      return;
    }
    arrivals.push(t);
    added.incrementAndGet();
    if (finished) {
      failArrivals(); // pushed after the last drain: nobody else will answer it
      return;
    }
    int r = rest;
    if (r == SLEEPING) {
      wake();
    } else if (r == NAPPING && waited) {
      LockSupport.unpark(loop);
    }
  }

  /** Acks queued or being applied: the claim loop stops claiming while this is too high. */
  int backlog() {
    return (int) Math.min(Integer.MAX_VALUE, added.get() - applied);
  }

  @Override
  protected void runOnce() throws InterruptedException {
    loop = Thread.currentThread();
    List<DeliveryTask> batch = take();
    if (!batch.isEmpty()) {
      emptyNaps = 0;
      apply(batch);
      return;
    }
    if (emptyNaps < NAPS) {
      emptyNaps++;
      rest = NAPPING;
      if (arrivals.isEmpty()) {
        LockSupport.parkNanos(this, NAP_NANOS);
      }
    } else {
      rest = SLEEPING;
      if (arrivals.isEmpty()) {
        waitFor(100);
      }
    }
    rest = AWAKE;
  }

  /** Every arrival so far, oldest first, in the reused batch list. */
  private List<DeliveryTask> take() {
    taken.clear();
    arrivals.takeAll(takeOne);
    return taken;
  }

  @Override
  protected void afterLoop() {
    List<DeliveryTask> rest;
    while (!(rest = take()).isEmpty()) {
      apply(rest);
    }
    finished = true;
    failArrivals(); // added between the last drain and the flag
  }

  @Override
  public void close() {
    super.close();
    if (!finished) { // closed before it ever ran: no loop thread to finish
      finished = true;
      failArrivals();
    }
  }

  private void failArrivals() {
    arrivals.takeAll(
        t -> {
          added.decrementAndGet();
          t.acked(false, closedError());
        });
  }

  private StorageClosedException closedError() {
    return new StorageClosedException("ack batcher of group " + group);
  }

  private void apply(List<DeliveryTask> batch) {
    try {
      for (int i = 0; i < batch.size(); i += MAX_BATCH) {
        applyBatch(batch.subList(i, Math.min(batch.size(), i + MAX_BATCH)));
      }
    } finally {
      applied += batch.size();
    }
  }

  /**
   * One store call for {@code batch}. The loops over the batch are methods of their own, so the JIT
   * compiles each loop small instead of compiling the store call into a long on-stack replacement
   * of this method while a large batch runs.
   */
  private void applyBatch(List<DeliveryTask> batch) {
    List<Ack> acks = acksOf(batch);
    BatchResult result;
    try {
      result = storage.ack(new AckRequest(group, acks));
    } catch (RuntimeException e) {
      failAll(batch, e);
      return;
    }
    answer(batch, result.rejected());
  }

  private static List<Ack> acksOf(List<DeliveryTask> batch) {
    List<Ack> acks = new ArrayList<>(batch.size());
    for (DeliveryTask t : batch) {
      acks.add(ackOf(t));
    }
    return acks;
  }

  private static void failAll(List<DeliveryTask> batch, RuntimeException e) {
    for (DeliveryTask t : batch) {
      t.acked(false, e);
    }
  }

  /** Hands each delivery its answer: applied unless its id is among {@code rejectedIds}. */
  private static void answer(List<DeliveryTask> batch, List<DeliveryId> rejectedIds) {
    if (rejectedIds.isEmpty()) {
      for (DeliveryTask t : batch) {
        t.acked(true, null);
      }
      return;
    }
    Set<DeliveryId> rejected = new HashSet<>(rejectedIds);
    for (DeliveryTask t : batch) {
      t.acked(!rejected.contains(t.id()), null);
    }
  }
}
