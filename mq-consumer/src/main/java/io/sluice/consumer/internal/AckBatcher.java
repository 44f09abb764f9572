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
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers the acks of many handlers into one {@link Storage#ack} call, so a slow ack (an fsync, a
 * database commit) never holds a handler slot. Handlers add their delivery and go on; the batcher
 * thread swaps the whole pending list out, acks it in calls of up to {@value #MAX_BATCH}, and hands
 * each delivery's answer to its {@link Settler} (applied, rejected as stale, or failed: then the
 * lease runs out and the message is redelivered). Under load the batches grow by themselves:
 * whatever arrived while the previous call ran goes in the next one; an add wakes the thread only
 * when it is idle. Close applies what is pending, then stops; an ack added after close fails at
 * once.
 */
final class AckBatcher extends LoopService {
  /** What an ack is for: a handled delivery, a duplicate skipped, another group's redrive. */
  static final byte ACK = 0;

  static final byte DUPLICATE = 1;
  static final byte REDRIVE = 2;

  private static final int MAX_BATCH = 4_096;

  private final Storage storage;
  private final String group;
  private final ReentrantLock lock = new ReentrantLock();
  private ArrayList<DeliveryTask> pending = new ArrayList<>();
  private ArrayList<DeliveryTask> spare = new ArrayList<>();
  private volatile int backlog;
  private volatile boolean sleeping;

  AckBatcher(Storage storage, String group) {
    super("sluice-" + group + "-acks");
    this.storage = storage;
    this.group = group;
  }

  /** The SPI ack of {@code t}, with the processed key its message records. */
  static Ack ackOf(DeliveryTask t) {
    return new Ack(t.id(), DerivedKeys.processedKey(t.message()));
  }

  /** Queues {@code t}'s ack; its answer comes through {@link DeliveryTask#acked}. */
  void add(DeliveryTask t) {
    boolean closed;
    lock.lock();
    try {
      closed = isClosed();
      if (!closed) {
        pending.add(t);
        backlog++;
      }
    } finally {
      lock.unlock();
    }
    if (closed) {
      t.acked(false, new StorageClosedException("ack batcher of group " + group));
    } else if (sleeping) {
      wake();
    }
  }

  /** Acks queued or being applied: the claim loop stops claiming while this is too high. */
  int backlog() {
    return backlog;
  }

  @Override
  protected void runOnce() throws InterruptedException {
    List<DeliveryTask> batch = take();
    if (batch.isEmpty()) {
      sleeping = true;
      try {
        if (backlog == 0) {
          waitFor(100);
        }
      } finally {
        sleeping = false;
      }
      return;
    }
    apply(batch);
  }

  private List<DeliveryTask> take() {
    lock.lock();
    try {
      ArrayList<DeliveryTask> batch = pending;
      pending = spare;
      spare = batch;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  @Override
  protected void afterLoop() {
    List<DeliveryTask> rest;
    while (!(rest = take()).isEmpty()) {
      apply(rest);
    }
  }

  private void apply(List<DeliveryTask> batch) {
    try {
      for (int i = 0; i < batch.size(); i += MAX_BATCH) {
        applyBatch(batch.subList(i, Math.min(batch.size(), i + MAX_BATCH)));
      }
    } finally {
      int n = batch.size();
      batch.clear();
      lock.lock();
      try {
        backlog -= n;
      } finally {
        lock.unlock();
      }
    }
  }

  private void applyBatch(List<DeliveryTask> batch) {
    List<Ack> acks = new ArrayList<>(batch.size());
    for (DeliveryTask t : batch) {
      acks.add(ackOf(t));
    }
    BatchResult result;
    try {
      result = storage.ack(new AckRequest(group, acks));
    } catch (RuntimeException e) {
      batch.forEach(t -> t.acked(false, e));
      return;
    }
    Set<DeliveryId> rejected =
        result.rejected().isEmpty() ? Set.of() : new HashSet<>(result.rejected());
    for (DeliveryTask t : batch) {
      t.acked(!rejected.contains(t.id()), null);
    }
  }
}
