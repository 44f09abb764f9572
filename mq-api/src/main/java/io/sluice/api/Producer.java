package io.sluice.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages to topics. Thread-safe: share one producer across threads. A receipt (or a
 * completed future) means the message is as durable as the store's policy promises; a failure means
 * nothing of that send is visible to consumers (a retry with the same idempotency key is safe).
 *
 * <pre>{@code
 * Receipt r = producer.send("orders", Message.builder(json).key(customerId).build());
 * producer.sendAsync("orders", Message.of("ping")).thenAccept(receipt -> log(receipt));
 * List<Receipt> all = producer.sendAll("orders", batch); // one atomic append per partition
 * }</pre>
 */
public interface Producer extends AutoCloseable {

  /** Sends one message and waits for its receipt. */
  Receipt send(String topic, Message message);

  /**
   * Sends one message without waiting. Concurrent async sends are gathered into batches, so this is
   * the fast path; the future completes with the receipt or exceptionally with a {@link
   * io.sluice.api.error.SluiceException}.
   */
  CompletableFuture<Receipt> sendAsync(String topic, Message message);

  /**
   * Sends a batch and waits. The whole batch is validated first: one bad message rejects all. The
   * receipts are in the order of {@code messages}.
   */
  List<Receipt> sendAll(String topic, List<Message> messages);

  /** Sends a batch without waiting; see {@link #sendAll}. */
  CompletableFuture<List<Receipt>> sendAllAsync(String topic, List<Message> messages);

  /** Waits until every send accepted so far has completed (successfully or not). */
  void flush();

  /** Flushes, then refuses further sends. Idempotent. */
  @Override
  void close();
}
