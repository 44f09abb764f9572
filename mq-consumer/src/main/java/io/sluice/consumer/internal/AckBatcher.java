package io.sluice.consumer.internal;

import io.sluice.api.error.StorageClosedException;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gathers the acks of many handlers into one {@link Storage#ack} call. Each {@link #ack} returns a
 * future that completes with true when applied, false when the store rejected it as stale, or
 * exceptionally when the store call failed (the lease then runs out and the message is
 * redelivered). Under load the batches grow by themselves: whatever arrived while the previous call
 * ran goes in the next one. Close applies what is queued, then stops.
 */
final class AckBatcher extends LoopService {
  private static final int MAX_BATCH = 4_096;

  private final Storage storage;
  private final String group;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger backlog = new AtomicInteger();

  private record Pending(Ack ack, CompletableFuture<Boolean> result) {}

  AckBatcher(Storage storage, String group) {
    super("sluice-" + group + "-acks");
    this.storage = storage;
    this.group = group;
  }

  /** Queues an ack; see the class description for the future's value. */
  CompletableFuture<Boolean> ack(Ack ack) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    if (isClosed()) {
      result.completeExceptionally(new StorageClosedException("ack batcher of group " + group));
      return result;
    }
    backlog.incrementAndGet();
    queue.add(new Pending(ack, result));
    if (isClosed()) {
      drainAll();
    }
    return result;
  }

  @Override
  protected void runOnce() throws InterruptedException {
    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
    if (first == null) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    batch.add(first);
    queue.drainTo(batch, MAX_BATCH - 1);
    apply(batch);
  }

  @Override
  protected void afterLoop() {
    drainAll();
  }

  private void drainAll() {
    List<Pending> rest = new ArrayList<>();
    while (queue.drainTo(rest, MAX_BATCH) > 0) {
      apply(rest);
      rest.clear();
    }
  }

  /** Acks queued or being applied: the claim loop stops claiming while this is too high. */
  int backlog() {
    return backlog.get();
  }

  private void apply(List<Pending> batch) {
    try {
      applyBatch(batch);
    } finally {
      backlog.addAndGet(-batch.size());
    }
  }

  private void applyBatch(List<Pending> batch) {
    List<Ack> acks = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      acks.add(p.ack());
    }
    BatchResult result;
    try {
      result = storage.ack(group, acks);
    } catch (RuntimeException e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    Set<DeliveryId> rejected = new HashSet<>(result.rejected());
    for (Pending p : batch) {
      p.result().complete(!rejected.contains(p.ack().delivery()));
    }
  }
}
