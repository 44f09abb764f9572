package io.sluice.consumer.internal;

import io.micrometer.observation.Observation;
import io.sluice.api.Delivery;
import io.sluice.api.Header;
import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.consumer.DeadLetterHeaders;
import io.sluice.observation.SluiceSenderContext;
import io.sluice.spi.DeadLetterRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a dead letter (the original payload, key and headers plus {@link DeadLetterHeaders}) and
 * hands it to {@link Storage#deadLetter}, which appends it and acks the delivery, atomically where
 * the backend can. The dead letter's idempotency key is derived from the group, the message's
 * position and its first delivery time, so a retry after a crash between append and ack is
 * deduplicated by the store.
 *
 * <p>Trace context: the dead letter keeps the original message's headers, {@code traceparent}
 * included. When the handler run was observed, writing the dead letter is a {@code sluice.send}
 * observation (destination: the dead-letter topic) inside it, whose propagated headers replace the
 * original ones, so the dead letter (and a redrive of it) continues the trace under the failed run.
 */
final class DeadLetterer {
  static final int MAX_ERROR_MESSAGE = 1_000;

  private final Storage storage;
  private final String group;
  private final Observations observations;

  DeadLetterer(Storage storage, String group) {
    this(storage, group, Observations.NONE);
  }

  DeadLetterer(Storage storage, String group, Observations observations) {
    this.storage = storage;
    this.group = group;
    this.observations = observations;
  }

  /** What went wrong, for the headers. */
  record Failure(String reason, Throwable error, Instant firstFailure, Instant lastFailure) {}

  /**
   * Appends the dead letter and acks; throws StaleDeliveryException if the lease is gone. Observed
   * as a send inside {@code run} (the handler run's observation) when there is one and observations
   * are on.
   */
  void deadLetter(
      Delivery d, DeliveryId id, String deadLetterTopic, Failure failure, Observation run) {
    Message dead = build(d, failure);
    if (run == null || !observations.on()) {
      storage.deadLetter(new DeadLetterRequest(group, id, deadLetterTopic, dead));
      return;
    }
    SluiceSenderContext context = new SluiceSenderContext(deadLetterTopic, dead);
    Observation o = observations.startSend(context, run);
    try {
      storage.deadLetter(new DeadLetterRequest(group, id, deadLetterTopic, context.message()));
    } catch (RuntimeException e) {
      o.error(e);
      throw e;
    } finally {
      o.stop();
    }
  }

  Message build(Delivery d, Failure failure) {
    Message original = d.message();
    List<Header> headers = withoutRuntimeHeaders(original.headers());
    String originalKey = DerivedKeys.processedKey(original);
    headers.add(new Header(DeadLetterHeaders.TOPIC, d.topic()));
    headers.add(new Header(DeadLetterHeaders.PARTITION, Integer.toString(d.partition())));
    headers.add(new Header(DeadLetterHeaders.OFFSET, Long.toString(d.offset())));
    headers.add(new Header(DeadLetterHeaders.GROUP, group));
    headers.add(new Header(DeadLetterHeaders.ATTEMPTS, Integer.toString(d.attempt())));
    if (failure.error() != null) {
      headers.add(new Header(DeadLetterHeaders.ERROR_CLASS, failure.error().getClass().getName()));
      String text = failure.error().getMessage();
      if (text != null) {
        headers.add(new Header(DeadLetterHeaders.ERROR_MESSAGE, clean(text)));
      }
    }
    headers.add(new Header(DeadLetterHeaders.REASON, clean(failure.reason())));
    headers.add(new Header(DeadLetterHeaders.FIRST_FAILURE, failure.firstFailure().toString()));
    headers.add(new Header(DeadLetterHeaders.LAST_FAILURE, failure.lastFailure().toString()));
    if (originalKey != null) {
      headers.add(new Header(DeadLetterHeaders.IDEMPOTENCY_KEY, originalKey));
    }
    long since = d.firstDeliveredAt() == null ? 0 : d.firstDeliveredAt().toEpochMilli();
    return Message.builder(original.payload())
        .key(original.key())
        .headers(Headers.of(headers))
        .idempotencyKey(DerivedKeys.deadLetter(group, d.topic(), d.partition(), d.offset(), since))
        .build();
  }

  /** The headers without any the runtime adds (dead-letter and redrive ones). */
  static List<Header> withoutRuntimeHeaders(Headers headers) {
    List<Header> kept = new ArrayList<>(headers.size() + 12);
    for (Header h : headers.asList()) {
      String name = h.name();
      if (!name.startsWith("sluice.dlq.")
          && !name.equals(DeadLetterHeaders.REDRIVE_GROUP)
          && !name.equals(DeadLetterHeaders.IDEMPOTENCY_KEY)) {
        kept.add(h);
      }
    }
    return kept;
  }

  /** Cut to {@link #MAX_ERROR_MESSAGE} characters, without NUL or lone surrogates. */
  static String clean(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ERROR_MESSAGE));
    for (int i = 0; i < text.length() && out.length() < MAX_ERROR_MESSAGE; i++) {
      char c = text.charAt(i);
      if (c == 0 || Character.isSurrogate(c)) {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
