package io.sluice.consumer.internal;

import io.sluice.ProducerBufferFullException;
import io.sluice.ProducerConfig;
import io.sluice.api.Message;
import io.sluice.api.Producer;
import io.sluice.api.Receipt;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.SluiceException;
import io.sluice.api.error.StorageClosedException;
import io.sluice.api.internal.Validation;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.Storage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Producer}: every send becomes a {@link ProducerBatcher.Pending} request; the batcher
 * coalesces concurrent requests to one topic into one {@link Storage#append}. Synchronous sends
 * wait for their request. Bytes waiting are bounded by {@link ProducerConfig#maxBufferedBytes()}: a
 * send that does not fit blocks up to {@link ProducerConfig#maxBlock()} (backpressure), then fails
 * with {@link ProducerBufferFullException}; a single request larger than the bound is admitted when
 * nothing else is waiting.
 */
public final class BatchingProducer implements Producer {
  private final ProducerConfig config;
  private final ProducerBatcher batcher;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long bufferedBytes;
  private long pendingRequests;
  private boolean closed;

  /** A producer over {@code storage}; its batcher thread starts at once. */
  public BatchingProducer(Storage storage, ProducerConfig config, InstantSource clock) {
    this.config = Validation.required("config", config);
    this.batcher = new ProducerBatcher(Validation.required("storage", storage), config, this::done);
    batcher.start();
  }

  @Override
  public Receipt send(String topic, Message message) {
    return join(submit(topic, List.of(checked(message)), true)).get(0);
  }

  @Override
  public CompletableFuture<Receipt> sendAsync(String topic, Message message) {
    return submit(topic, List.of(checked(message)), false).thenApply(receipts -> receipts.get(0));
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
    List<Message> copy = new ArrayList<>(messages.size());
    for (Message m : messages) {
      copy.add(checked(m));
    }
    if (copy.isEmpty()) {
      Validation.topic(topic);
      return CompletableFuture.completedFuture(List.of());
    }
    return submit(topic, copy, blocking);
  }

  private static Message checked(Message message) {
    if (message == null) {
      throw new InvalidMessageException("message must not be null");
    }
    return message;
  }

  private CompletableFuture<List<Receipt>> submit(
      String topic, List<Message> messages, boolean blocking) {
    Validation.topic(topic);
    long bytes = 0;
    List<OutgoingMessage> outgoing = new ArrayList<>(messages.size());
    for (Message m : messages) {
      bytes += Validation.encodedSize(m);
      outgoing.add(OutgoingMessage.of(m));
    }
    reserve(bytes);
    ProducerBatcher.Pending pending = new ProducerBatcher.Pending(topic, outgoing, bytes, blocking);
    batcher.add(pending);
    return pending.result();
  }

  private void reserve(long bytes) {
    lock.lock();
    try {
      long nanos = config.maxBlock().toNanos();
      while (!closed && bufferedBytes > 0 && bufferedBytes + bytes > config.maxBufferedBytes()) {
        if (nanos <= 0) {
          throw new ProducerBufferFullException(bytes, bufferedBytes, config.maxBufferedBytes());
        }
        nanos = changed.awaitNanos(nanos);
      }
      if (closed) {
        throw new StorageClosedException("producer");
      }
      bufferedBytes += bytes;
      pendingRequests++;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProducerBufferFullException(bytes, bufferedBytes, config.maxBufferedBytes());
    } finally {
      lock.unlock();
    }
  }

  private void done(ProducerBatcher.Pending pending) {
    lock.lock();
    try {
      bufferedBytes -= pending.bytes();
      pendingRequests--;
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

  /** Bytes waiting for the store (for tests and metrics). */
  public long bufferedBytes() {
    lock.lock();
    try {
      return bufferedBytes;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void flush() {
    lock.lock();
    try {
      while (pendingRequests > 0) {
        changed.await(100, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
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
