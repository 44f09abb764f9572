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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's send loop. Senders push requests on a lock-free stack (one compare-and-set each)
 * and go on; they wake the loop only when it sleeps on an empty queue, or when it lingers and their
 * request ends the linger (a blocking caller, or {@code maxBatchMessages} waiting), so concurrent
 * sends coalesce without a lock hand-off per message. The loop takes the oldest waiting request,
 * waits up to {@code linger} for more (a blocked caller never pays the linger, and sends made while
 * an append is under way coalesce into the next one anyway), and sends the waiting requests of that
 * topic as one {@link Storage#append}, up to {@code maxBatchMessages} (a larger {@code sendAll}
 * goes alone, whole, to keep it atomic). A {@link BackendUnavailableException} is retried with the
 * configured backoff, same messages and idempotency keys. If a coalesced append is rejected as bad
 * input, each request is sent alone, so one sender's bad message fails only that sender.
 */
final class ProducerBatcher extends LoopService {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerBatcher.class);
  private static final long IDLE_NANOS = 100_000_000L;

  private final Storage storage;
  private final ProducerConfig config;
  private final Consumer<List<SendRequest>> done;
  private final Arrivals<SendRequest> arrivals = new Arrivals<>();
  private final Consumer<SendRequest> takeOne = this::take;
  private final AtomicInteger lingerCount = new AtomicInteger();
  private final ArrayDeque<SendRequest> taken = new ArrayDeque<>();
  private int takenMessages;
  private int takenBlocking;
  private volatile Thread loop;
  private volatile boolean sleeping;
  private volatile boolean lingering;
  private volatile boolean lingerEnd;

  /** A batcher; {@code done} is told of each round's requests just before they complete. */
  ProducerBatcher(Storage storage, ProducerConfig config, Consumer<List<SendRequest>> done) {
    super("sluice-producer");
    this.storage = storage;
    this.config = config;
    this.done = done;
  }

  /**
   * Queues a request; it completes once appended, or fails. Counts it only while the loop lingers
   * (so a busy loop costs a sender one compare-and-set), and wakes the loop when it sleeps or when
   * this request ends the linger.
   */
  void add(SendRequest pending) {
    arrivals.push(pending);
    if (sleeping) {
      LockSupport.unpark(loop);
    } else if (lingering) {
      if (pending.blocking()) {
        lingerEnd = true;
        LockSupport.unpark(loop);
      } else if (lingerCount.addAndGet(pending.size()) >= config.maxBatchMessages()) {
        LockSupport.unpark(loop);
      }
    }
  }

  @Override
  protected void runOnce() {
    loop = Thread.currentThread();
    if (taken.isEmpty() && arrivals.isEmpty()) {
      sleeping = true;
      if (arrivals.isEmpty() && !isClosed()) {
        LockSupport.parkNanos(this, IDLE_NANOS);
      }
      sleeping = false;
      return;
    }
    drainQueue();
    if (takenBlocking == 0
        && takenMessages < config.maxBatchMessages()
        && config.linger().toNanos() > 0) {
      linger();
      drainQueue();
    }
    send(takeSameTopic());
  }

  /** Waits up to the linger for more requests, unless a blocked caller or a full batch waits. */
  private void linger() {
    long deadline = System.nanoTime() + config.linger().toNanos();
    lingerCount.set(takenMessages);
    lingerEnd = false;
    lingering = true;
    try {
      // Requests pushed before the flag was visible did not count themselves: count them here (one
      // pushed meanwhile may count twice, which only ends the linger early).
      for (SendRequest p = arrivals.newest(); p != null; p = p.nextArrival()) {
        if (p.blocking()) {
          lingerEnd = true;
        }
        lingerCount.addAndGet(p.size());
      }
      long left;
      while (!lingerEnd
          && lingerCount.get() < config.maxBatchMessages()
          && (left = deadline - System.nanoTime()) > 0
          && !isClosed()) {
        LockSupport.parkNanos(this, left);
      }
    } finally {
      lingering = false;
    }
  }

  /** Moves every arrival, oldest first, behind the requests already taken. */
  private void drainQueue() {
    arrivals.takeAll(takeOne);
  }

  private void take(SendRequest p) {
    taken.add(p);
    takenMessages += p.size();
    if (p.blocking()) {
      takenBlocking++;
    }
  }

  /** The oldest request and the others of its topic that fit in one append, in order. */
  private List<SendRequest> takeSameTopic() {
    SendRequest first = taken.poll();
    String topic = first.topic();
    List<SendRequest> batch =
        new ArrayList<>(Math.min(taken.size() + 1, config.maxBatchMessages()));
    batch.add(first);
    int count = first.size();
    SendRequest next;
    while ((next = taken.peek()) != null
        && next.topic().equals(topic)
        && count + next.size() <= config.maxBatchMessages()) {
      count += taken.poll().size(); // the common case: a run of one topic
      batch.add(next);
    }
    if (next != null && !next.topic().equals(topic)) {
      count = takeLater(topic, batch, count);
    }
    int blocking = 0;
    for (SendRequest p : batch) {
      if (p.blocking()) {
        blocking++;
      }
    }
    takenMessages -= count;
    takenBlocking -= blocking;
    return batch;
  }

  /** Adds requests of {@code topic} queued behind other topics', while they fit. */
  private int takeLater(String topic, List<SendRequest> batch, int count) {
    Iterator<SendRequest> it = taken.iterator();
    while (it.hasNext()) {
      SendRequest p = it.next();
      if (p.topic().equals(topic)) {
        if (count + p.size() > config.maxBatchMessages()) {
          break;
        }
        count += p.size();
        batch.add(p);
        it.remove();
      }
    }
    return count;
  }

  @Override
  protected void afterLoop() {
    drainQueue();
    List<SendRequest> rest = new ArrayList<>(taken);
    taken.clear();
    finish(rest, null, new StorageClosedException("producer"));
  }

  @Override
  public void close() {
    Thread t = loop;
    super.close();
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void send(List<SendRequest> batch) {
    List<OutgoingMessage> all;
    if (batch.size() == 1) {
      all = batch.get(0).messages();
    } else {
      int count = 0;
      for (SendRequest p : batch) {
        count += p.size();
      }
      all = new ArrayList<>(count);
      for (SendRequest p : batch) {
        p.addTo(all);
      }
    }
    List<Receipt> receipts;
    try {
      receipts = appendWithRetry(batch.get(0).topic(), all);
    } catch (InvalidRequestException e) {
      if (batch.size() == 1) {
        finish(batch, null, e);
      } else {
        for (SendRequest p : batch) {
          send(List.of(p));
        }
      }
      return;
    } catch (RuntimeException e) {
      finish(batch, null, e);
      return;
    }
    finish(batch, receipts, null);
  }

  /** Tells {@code done} (which frees their buffer space), then completes the requests. */
  private void finish(List<SendRequest> batch, List<Receipt> receipts, Throwable error) {
    try {
      done.accept(batch);
    } finally {
      int from = 0;
      for (SendRequest p : batch) {
        if (error == null) {
          p.complete(receipts, from);
        } else {
          p.fail(error);
        }
        from += p.size();
      }
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
}
