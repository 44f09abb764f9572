package io.sluice.consumer.internal;

import io.sluice.ProducerConfig;
import io.sluice.api.Receipt;
import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.InvalidRequestException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.internal.LoopService;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's send loop. It takes the oldest waiting request, waits up to {@code linger} for
 * more (or until {@code maxBatchMessages} are waiting, or a synchronous caller is waiting: a
 * blocked caller never pays the linger, and concurrent sends still coalesce while an append is
 * under way), and sends the waiting requests of that topic as one {@link Storage#append}, up to
 * {@code maxBatchMessages} (a larger {@code sendAll} goes alone, whole, to keep it atomic). A
 * {@link BackendUnavailableException} is retried with the configured backoff, same messages and
 * idempotency keys. If a coalesced append is rejected as bad input, each request is sent alone, so
 * one sender's bad message fails only that sender.
 */
final class ProducerBatcher extends LoopService {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerBatcher.class);

  /**
   * One send request: all of its messages go in one append. {@code blocking}: its caller waits for
   * the result, so the batch it joins goes at once.
   */
  record Pending(
      String topic,
      List<OutgoingMessage> messages,
      long bytes,
      boolean blocking,
      CompletableFuture<List<Receipt>> result) {
    Pending(String topic, List<OutgoingMessage> messages, long bytes, boolean blocking) {
      this(topic, messages, bytes, blocking, new CompletableFuture<>());
    }
  }

  private final Storage storage;
  private final ProducerConfig config;
  private final Consumer<Pending> done;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int queuedMessages;
  private int queuedBlocking;

  ProducerBatcher(Storage storage, ProducerConfig config, Consumer<Pending> done) {
    super("sluice-producer");
    this.storage = storage;
    this.config = config;
    this.done = done;
  }

  void add(Pending pending) {
    lock.lock();
    try {
      queue.add(pending);
      queuedMessages += pending.messages().size();
      if (pending.blocking()) {
        queuedBlocking++;
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  protected void runOnce() throws InterruptedException {
    List<Pending> batch = nextBatch();
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  @Override
  protected void afterLoop() {
    List<Pending> rest;
    lock.lock();
    try {
      rest = new ArrayList<>(queue);
      queue.clear();
      queuedMessages = 0;
      queuedBlocking = 0;
    } finally {
      lock.unlock();
    }
    for (Pending p : rest) {
      complete(p, null, new StorageClosedException("producer"));
    }
  }

  private List<Pending> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (isClosed()) {
          return List.of();
        }
        arrived.await(100, TimeUnit.MILLISECONDS);
      }
      long lingerNanos = config.linger().toNanos();
      while (lingerNanos > 0
          && queuedMessages < config.maxBatchMessages()
          && queuedBlocking == 0
          && !isClosed()) {
        lingerNanos = arrived.awaitNanos(lingerNanos);
      }
      return takeSameTopic();
    } finally {
      lock.unlock();
    }
  }

  private List<Pending> takeSameTopic() {
    Pending first = queue.poll();
    List<Pending> batch = new ArrayList<>();
    batch.add(first);
    int count = first.messages().size();
    Iterator<Pending> it = queue.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (p.topic().equals(first.topic())) {
        if (count + p.messages().size() > config.maxBatchMessages()) {
          break;
        }
        count += p.messages().size();
        batch.add(p);
        it.remove();
      }
    }
    queuedMessages -= count;
    for (Pending p : batch) {
      if (p.blocking()) {
        queuedBlocking--;
      }
    }
    return batch;
  }

  private void send(List<Pending> batch) {
    List<OutgoingMessage> all = new ArrayList<>();
    batch.forEach(p -> all.addAll(p.messages()));
    try {
      List<Receipt> receipts = appendWithRetry(batch.get(0).topic(), all);
      int from = 0;
      for (Pending p : batch) {
        int to = from + p.messages().size();
        complete(p, List.copyOf(receipts.subList(from, to)), null);
        from = to;
      }
    } catch (InvalidRequestException e) {
      if (batch.size() == 1) {
        complete(batch.get(0), null, e);
      } else {
        for (Pending p : batch) {
          send(List.of(p));
        }
      }
    } catch (RuntimeException e) {
      batch.forEach(p -> complete(p, null, e));
    }
  }

  private List<Receipt> appendWithRetry(String topic, List<OutgoingMessage> messages) {
    for (int attempt = 1; ; attempt++) {
      try {
        return storage.append(topic, messages);
      } catch (BackendUnavailableException e) {
        if (attempt > config.retries() || isClosed()) {
          throw e;
        }
        Duration delay = config.retryBackoff().delay(attempt, ThreadLocalRandom.current());
        LOG.warn("append to {} failed (try {}); retrying in {}", topic, attempt, delay, e);
        try {
          waitFor(Math.max(1, delay.toMillis()));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void complete(Pending p, List<Receipt> receipts, Throwable error) {
    try {
      done.accept(p);
    } finally {
      if (error == null) {
        p.result().complete(receipts);
      } else {
        p.result().completeExceptionally(error);
      }
    }
  }
}
