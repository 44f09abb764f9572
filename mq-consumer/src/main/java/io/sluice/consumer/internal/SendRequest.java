package io.sluice.consumer.internal;

import io.sluice.api.Receipt;
import io.sluice.spi.OutgoingMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One send request to the {@link ProducerBatcher}: all of its messages go in one append, and its
 * caller gets their receipts through {@code one} (a single send) or {@code all}. {@code blocking}:
 * its caller waits for the result, so the batch it joins goes at once. Requests wait in an
 * intrusive stack ({@code next}).
 */
final class SendRequest implements Arrivals.Linked<SendRequest> {
  final String topic;
  final OutgoingMessage message;
  final List<OutgoingMessage> messages;
  final int size;
  final long bytes;
  final boolean blocking;
  final CompletableFuture<Receipt> one;
  final CompletableFuture<List<Receipt>> all;
  private SendRequest next;

  @Override
  public SendRequest nextArrival() {
    return next;
  }

  @Override
  public void nextArrival(SendRequest request) {
    next = request;
  }

  private SendRequest(
      String topic,
      OutgoingMessage message,
      List<OutgoingMessage> messages,
      long bytes,
      boolean blocking,
      CompletableFuture<Receipt> one,
      CompletableFuture<List<Receipt>> all) {
    this.topic = topic;
    this.message = message;
    this.messages = messages;
    this.size = messages == null ? 1 : messages.size();
    this.bytes = bytes;
    this.blocking = blocking;
    this.one = one;
    this.all = all;
  }

  static SendRequest single(String topic, OutgoingMessage message, long bytes, boolean blocking) {
    return new SendRequest(topic, message, null, bytes, blocking, new CompletableFuture<>(), null);
  }

  static SendRequest batch(String topic, List<OutgoingMessage> messages, long bytes, boolean b) {
    return new SendRequest(topic, null, messages, bytes, b, null, new CompletableFuture<>());
  }

  String topic() {
    return topic;
  }

  /** How many messages the request has. */
  int size() {
    return size;
  }

  /** Adds the request's messages to {@code out}. */
  void addTo(List<OutgoingMessage> out) {
    if (message != null) {
      out.add(message);
    } else {
      out.addAll(messages);
    }
  }

  List<OutgoingMessage> messages() {
    return message != null ? List.of(message) : messages;
  }

  long bytes() {
    return bytes;
  }

  boolean blocking() {
    return blocking;
  }

  CompletableFuture<Receipt> one() {
    return one;
  }

  CompletableFuture<List<Receipt>> all() {
    return all;
  }

  void complete(List<Receipt> receipts, int from) {
    if (one != null) {
      one.complete(receipts.get(from));
    } else {
      all.complete(List.copyOf(receipts.subList(from, from + size)));
    }
  }

  void fail(Throwable error) {
    if (one != null) {
      one.completeExceptionally(error);
    } else {
      all.completeExceptionally(error);
    }
  }
}
