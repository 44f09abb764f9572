package io.sluice.consumer.internal;

import io.micrometer.observation.Observation;
import io.sluice.ProducerBufferFullException;
import io.sluice.ProducerConfig;
import io.sluice.api.Message;
import io.sluice.api.Producer;
import io.sluice.api.Receipt;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.SluiceException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.internal.Validation;
import io.sluice.observation.SluiceSenderContext;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.Storage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Producer}: every send becomes a {@link SendRequest} request; the batcher coalesces
 * concurrent requests to one topic into one {@link Storage#append}. Synchronous sends wait for
 * their request. Bytes waiting are bounded by {@link ProducerConfig#maxBufferedBytes()}: a send
 * that does not fit blocks up to {@link ProducerConfig#maxBlock()} (backpressure), then fails with
 * {@link ProducerBufferFullException}; a single request larger than the bound is admitted when
 * nothing else is waiting. A send that fits takes no lock: the buffer is an atomic counter (each
 * request holds at least one byte of it, so an empty buffer means nothing waits), and only a
 * blocked sender or a {@link #flush()} waits on a lock, woken when the batcher frees space.
 *
 * <p>While {@link Observations} are on, each message is sent inside its own {@code sluice.send}
 * observation, whose propagating handler adds the trace headers to the message stored; while they
 * are off, sends take the path above unchanged.
 */
public final class BatchingProducer implements Producer {
  private final ProducerConfig config;
  private final ProducerBatcher batcher;
  private final Observations observations;
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile int waiters;
  private volatile boolean closed;
  private String validTopic; // the last topic name checked (a benign race: names are immutable)

  /** A producer over {@code storage}; its batcher thread starts at once. */
  public BatchingProducer(Storage storage, ProducerConfig config, InstantSource clock) {
    this(storage, config, clock, Observations.NONE);
  }

  /** A producer whose sends are observed through {@code observations}. */
  public BatchingProducer(
      Storage storage, ProducerConfig config, InstantSource clock, Observations observations) {
    this.config = Validation.required("config", config);
    this.observations = Validation.required("observations", observations);
    this.batcher = new ProducerBatcher(Validation.required("storage", storage), config, this::done);
    batcher.start();
  }

  @Override
  public Receipt send(String topic, Message message) {
    return join(sendOne(topic, checked(message), true));
  }

  @Override
  public CompletableFuture<Receipt> sendAsync(String topic, Message message) {
    return sendOne(topic, checked(message), false);
  }

  private CompletableFuture<Receipt> sendOne(String topic, Message message, boolean blocking) {
    if (!observations.on()) {
      return submitOne(topic, message, blocking);
    }
    checkTopic(topic);
    SluiceSenderContext context = new SluiceSenderContext(topic, message);
    Observation observation = observations.startSend(context, null);
    CompletableFuture<Receipt> sent;
    try {
      sent = submitOne(topic, context.message(), blocking);
    } catch (RuntimeException e) {
      Observations.stopSend(observation, context, null, e);
      throw e;
    }
    return sent.whenComplete((r, e) -> Observations.stopSend(observation, context, r, e));
  }

  @Override
  public List<Receipt> sendAll(String topic, List<Message> messages) {
    return join(sendAll(topic, messages, true));
  }

  @Override
  public CompletableFuture<List<Receipt>> sendAllAsync(String topic, List<Message> messages) {
    return sendAll(topic, messages, false);
  }

  private CompletableFuture<List<Receipt>> sendAll(
      String topic, List<Message> messages, boolean blocking) {
    if (messages == null) {
      throw new InvalidMessageException("messages must not be null");
    }
    checkTopic(topic);
    if (observations.on() && !messages.isEmpty()) {
      return observedAll(topic, messages, blocking);
    }
    return submitAll(topic, messages, blocking);
  }

  /** {@link #sendAll} with one send observation per message, all ending with the batch. */
  private CompletableFuture<List<Receipt>> observedAll(
      String topic, List<Message> messages, boolean blocking) {
    messages.forEach(BatchingProducer::checked); // one bad message rejects all, none observed
    int n = messages.size();
    List<SluiceSenderContext> contexts = new ArrayList<>(n);
    List<Observation> started = new ArrayList<>(n);
    List<Message> toSend = new ArrayList<>(n);
    CompletableFuture<List<Receipt>> sent;
    try {
      for (Message m : messages) {
        SluiceSenderContext context = new SluiceSenderContext(topic, checked(m));
        started.add(observations.startSend(context, null));
        contexts.add(context);
        toSend.add(context.message());
      }
      sent = submitAll(topic, toSend, blocking);
    } catch (RuntimeException e) {
      for (int i = 0; i < started.size(); i++) {
        Observations.stopSend(started.get(i), contexts.get(i), null, e);
      }
      throw e;
    }
    return sent.whenComplete(
        (receipts, e) -> {
          for (int i = 0; i < n; i++) {
            Observations.stopSend(
                started.get(i), contexts.get(i), receipts == null ? null : receipts.get(i), e);
          }
        });
  }

  private CompletableFuture<List<Receipt>> submitAll(
      String topic, List<Message> messages, boolean blocking) {
    long bytes = 0;
    List<OutgoingMessage> outgoing = new ArrayList<>(messages.size());
    for (Message m : messages) {
      bytes += Validation.encodedSize(checked(m));
      outgoing.add(OutgoingMessage.of(m));
    }
    if (outgoing.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    bytes = Math.max(1, bytes);
    SendRequest pending = SendRequest.batch(topic, outgoing, bytes, blocking);
    reserve(bytes);
    batcher.add(pending);
    return pending.all();
  }

  private CompletableFuture<Receipt> submitOne(String topic, Message message, boolean blocking) {
    checkTopic(topic);
    long bytes = Math.max(1, Validation.encodedSize(message));
    SendRequest pending = SendRequest.single(topic, OutgoingMessage.of(message), bytes, blocking);
    reserve(bytes);
    batcher.add(pending);
    return pending.one();
  }

  /** Checks a topic name once per name in a row, not once per send. */
  private void checkTopic(String topic) {
    if (topic != validTopic) {
      validTopic = Validation.topic(topic);
    }
  }

  private static Message checked(Message message) {
    if (message == null) {
      throw new InvalidMessageException("message must not be null");
    }
    return message;
  }

  /** Takes buffer space for a request: at once when it fits, else waiting up to maxBlock. */
  private void reserve(long bytes) {
    if (closed) {
      throw new StorageClosedException("producer");
    }
    if (!tryReserve(bytes)) {
      reserveBlocking(bytes);
    }
  }

  private boolean tryReserve(long bytes) {
    while (true) {
      long buffered = bufferedBytes.get();
      if (buffered > 0 && buffered + bytes > config.maxBufferedBytes()) {
        return false;
      }
      if (bufferedBytes.compareAndSet(buffered, buffered + bytes)) {
        return true;
      }
    }
  }

  private void reserveBlocking(long bytes) {
    lock.lock();
    waiters++;
    try {
      long nanos = config.maxBlock().toNanos();
      while (!closed && !tryReserve(bytes)) {
        if (nanos <= 0) {
          throw new ProducerBufferFullException(
              bytes, bufferedBytes.get(), config.maxBufferedBytes());
        }
        nanos = changed.awaitNanos(nanos);
      }
      if (closed) {
        throw new StorageClosedException("producer");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProducerBufferFullException(bytes, bufferedBytes.get(), config.maxBufferedBytes());
    } finally {
      waiters--;
      lock.unlock();
    }
  }

  /** The batcher finished these requests: free their space and wake whoever waits for it. */
  private void done(List<SendRequest> finished) {
    long bytes = 0;
    for (SendRequest p : finished) {
      bytes += p.bytes();
    }
    bufferedBytes.addAndGet(-bytes);
    if (waiters > 0) {
      signal();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SluiceException s) {
        throw s;
      }
      throw e;
    }
  }

  /** Bytes waiting for the store, each request counting at least one (for tests and metrics). */
  public long bufferedBytes() {
    return bufferedBytes.get();
  }

  @Override
  public void flush() {
    lock.lock();
    waiters++;
    try {
      while (bufferedBytes.get() > 0) { // every request waiting holds at least one byte
        changed.await(100, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiters--;
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    flush();
    batcher.close();
  }
}
