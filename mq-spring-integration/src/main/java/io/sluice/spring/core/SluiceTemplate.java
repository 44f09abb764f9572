package io.sluice.spring.core;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.sluice.api.Message;
import io.sluice.api.Producer;
import io.sluice.api.Receipt;
import io.sluice.api.internal.Validation;
import io.sluice.observation.DefaultSluiceSendObservationConvention;
import io.sluice.observation.SluiceObservation;
import io.sluice.observation.SluiceSenderContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends messages from a Spring application: objects are converted with the {@link
 * SluiceMessageConverter} ({@code byte[]} and {@code String} as they are, anything else as JSON).
 *
 * <pre>{@code
 * template.send("orders", order.customerId(), order);      // waits for the receipt
 * template.sendAsync("orders", order).thenAccept(...);     // the fast path
 * template.sendAndForget("audit", event);                   // failures are logged
 * template.send("orders", Message.builder(bytes).idempotencyKey("order-42").build());
 * }</pre>
 *
 * <p><b>Transactions.</b> On the JDBC store, a send made inside a Spring-managed transaction on the
 * store's {@code DataSource} (for example in a {@code @Transactional} method) is written on that
 * transaction's connection: the message is delivered only if the transaction commits, and never if
 * it rolls back. Asynchronous sends then complete at once, with the synchronous result. On the file
 * store, and outside a transaction, sends go to the store directly. Thread-safe.
 *
 * <p><b>Observation.</b> Sends through the producer are observed by the producer (see {@link
 * io.sluice.Sluice.Builder#observationRegistry}); a send that joins a transaction is observed here,
 * the same way ({@code sluice.send}, the trace context written into the message's headers), when
 * the template was given an {@link ObservationRegistry}.
 */
public class SluiceTemplate {
  private static final Logger log = LoggerFactory.getLogger(SluiceTemplate.class);

  private final Producer producer;
  private final SluiceMessageConverter converter;
  private final TransactionalSender transactionalSender;
  private final SendListener sendListener;
  private final ObservationRegistry observationRegistry;

  /**
   * A template over {@code producer}.
   *
   * @param transactionalSender joins Spring transactions, or null to never join them
   */
  public SluiceTemplate(
      Producer producer,
      SluiceMessageConverter converter,
      TransactionalSender transactionalSender) {
    this(producer, converter, transactionalSender, SendListener.NONE);
  }

  /**
   * A template over {@code producer} that reports every send to {@code sendListener}.
   *
   * @param transactionalSender joins Spring transactions, or null to never join them
   */
  public SluiceTemplate(
      Producer producer,
      SluiceMessageConverter converter,
      TransactionalSender transactionalSender,
      SendListener sendListener) {
    this(producer, converter, transactionalSender, sendListener, ObservationRegistry.NOOP);
  }

  /**
   * A template over {@code producer} that reports every send to {@code sendListener} and observes
   * the sends that join a transaction in {@code observationRegistry}.
   *
   * @param transactionalSender joins Spring transactions, or null to never join them
   */
  public SluiceTemplate(
      Producer producer,
      SluiceMessageConverter converter,
      TransactionalSender transactionalSender,
      SendListener sendListener,
      ObservationRegistry observationRegistry) {
    this.producer = Validation.required("producer", producer);
    this.converter = Validation.required("converter", converter);
    this.transactionalSender = transactionalSender;
    this.sendListener = Validation.required("sendListener", sendListener);
    this.observationRegistry = Validation.required("observationRegistry", observationRegistry);
  }

  /** Converts and sends {@code payload} without a key, and waits for the receipt. */
  public Receipt send(String topic, Object payload) {
    return send(topic, toMessage(null, payload));
  }

  /** Converts and sends {@code payload} with {@code key}, and waits for the receipt. */
  public Receipt send(String topic, String key, Object payload) {
    return send(topic, toMessage(key, payload));
  }

  /** Sends {@code message} as it is, and waits for the receipt. */
  public Receipt send(String topic, Message message) {
    Validation.required("message", message);
    long start = System.nanoTime();
    try {
      Optional<Receipt> joined = inTransaction(topic, message);
      Receipt receipt = joined.orElseGet(() -> producer.send(topic, message));
      report(topic, start, null);
      return receipt;
    } catch (RuntimeException e) {
      report(topic, start, e);
      throw e;
    }
  }

  private void report(String topic, long startNanos, Throwable failure) {
    try {
      sendListener.onSend(topic, Duration.ofNanos(System.nanoTime() - startNanos), failure);
    } catch (RuntimeException e) {
      log.warn("SendListener {} failed: {}", sendListener, e.toString());
    }
  }

  /** Sends a batch (one atomic append per partition) and waits for the receipts. */
  public List<Receipt> sendAll(String topic, List<Message> messages) {
    Validation.required("messages", messages);
    if (transactionalSender != null && !messages.isEmpty()) {
      Optional<Receipt> first = inTransaction(topic, messages.get(0));
      if (first.isPresent()) {
        List<Receipt> receipts = new java.util.ArrayList<>(messages.size());
        receipts.add(first.get());
        for (Message m : messages.subList(1, messages.size())) {
          receipts.add(inTransaction(topic, m).orElseThrow());
        }
        return receipts;
      }
    }
    return producer.sendAll(topic, messages);
  }

  /** Converts and sends {@code payload} without waiting. */
  public CompletableFuture<Receipt> sendAsync(String topic, Object payload) {
    return sendAsync(topic, toMessage(null, payload));
  }

  /** Converts and sends {@code payload} with {@code key} without waiting. */
  public CompletableFuture<Receipt> sendAsync(String topic, String key, Object payload) {
    return sendAsync(topic, toMessage(key, payload));
  }

  /**
   * Sends {@code message} without waiting; inside a joinable transaction the send is synchronous
   * and the future already complete.
   */
  public CompletableFuture<Receipt> sendAsync(String topic, Message message) {
    Validation.required("message", message);
    long start = System.nanoTime();
    CompletableFuture<Receipt> result;
    try {
      result =
          inTransaction(topic, message)
              .map(CompletableFuture::completedFuture)
              .orElseGet(() -> sendDirect(topic, message));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.whenComplete((receipt, failure) -> report(topic, start, failure));
  }

  private CompletableFuture<Receipt> sendDirect(String topic, Message message) {
    try {
      return producer.sendAsync(topic, message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Converts and sends {@code payload} without waiting; a failure is logged at WARN. */
  public void sendAndForget(String topic, Object payload) {
    sendAndForget(topic, toMessage(null, payload));
  }

  /** Sends {@code message} without waiting; a failure is logged at WARN. */
  public void sendAndForget(String topic, Message message) {
    sendAsync(topic, message)
        .whenComplete(
            (receipt, error) -> {
              if (error != null) {
                log.warn("sendAndForget to topic {} failed: {}", topic, error.toString());
              }
            });
  }

  /**
   * The message the template would send for {@code payload}: the converted bytes and headers, and
   * {@code key} (null for none). A {@link Message} payload is returned as it is (with the key if
   * given).
   */
  public Message toMessage(String key, Object payload) {
    if (payload instanceof Message m) {
      return key == null ? m : m.toBuilder().key(key).build();
    }
    Message.Builder builder = converter.toMessage(payload);
    return builder.key(key).build();
  }

  /** Waits until every async send accepted so far has completed. */
  public void flush() {
    producer.flush();
  }

  private Optional<Receipt> inTransaction(String topic, Message message) {
    if (transactionalSender == null) {
      return Optional.empty();
    }
    if (observationRegistry.isNoop() || !transactionalSender.wouldJoin()) {
      return transactionalSender.sendInTransaction(topic, message);
    }
    SluiceSenderContext context = new SluiceSenderContext(Validation.topic(topic), message);
    Observation observation =
        SluiceObservation.SEND
            .observation(
                null,
                DefaultSluiceSendObservationConvention.INSTANCE,
                () -> context,
                observationRegistry)
            .start();
    try {
      Optional<Receipt> receipt = transactionalSender.sendInTransaction(topic, context.message());
      receipt.ifPresent(context::receipt);
      return receipt;
    } catch (RuntimeException e) {
      observation.error(e);
      throw e;
    } finally {
      observation.stop();
    }
  }
}
