package io.sluice.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.sluice.api.Header;
import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.api.Receipt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The context of a {@link SluiceObservation#SEND} observation: the topic, the message as given, and
 * the headers a propagating handler sets (the carrier, for example {@code traceparent}). The
 * message that is stored is {@link #message()} with those headers: each replaces any header of the
 * same name the message had (so a message forwarded from a handler carries the new context, not the
 * old one).
 */
public final class SluiceSenderContext extends SenderContext<Map<String, String>> {
  private final String topic;
  private final Message original;
  private Receipt receipt;

  /** A context for sending {@code message} to {@code topic}. */
  public SluiceSenderContext(String topic, Message message) {
    super((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
    this.topic = topic;
    this.original = message;
    super.setCarrier(new LinkedHashMap<>(4));
    super.setRemoteServiceName("sluice");
  }

  /** The topic sent to. */
  public String topic() {
    return topic;
  }

  /** The message as the caller gave it, without the propagated headers. */
  public Message originalMessage() {
    return original;
  }

  /**
   * The message to store: the original with the headers set on the carrier, each replacing any
   * header of that name. The original itself when none was set.
   */
  public Message message() {
    Map<String, String> set = getCarrier();
    if (set == null || set.isEmpty()) {
      return original;
    }
    List<Header> headers = new ArrayList<>(original.headers().size() + set.size());
    for (Header h : original.headers().asList()) {
      if (!set.containsKey(h.name())) {
        headers.add(h);
      }
    }
    set.forEach((name, value) -> headers.add(new Header(name, value)));
    return original.toBuilder().headers(Headers.of(headers)).build();
  }

  /** The receipt once the message was stored, else null. */
  public Receipt receipt() {
    return receipt;
  }

  /** Records the receipt (called by Sluice when the send completed). */
  public void receipt(Receipt receipt) {
    this.receipt = receipt;
  }
}
