package io.sluice.api;

import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.internal.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message: payload bytes plus optional key, ordered headers, timestamp, idempotency key and
 * delivery time.
 *
 * <p>The payload array is not copied, for speed: the message owns it once built, and neither the
 * sender nor a receiver may modify it. {@code equals} compares payloads by content.
 *
 * <pre>{@code
 * Message m = Message.builder("order-42 paid")
 *     .key("customer-7")                       // same key -> same partition, in order
 *     .header("content-type", "text/plain")
 *     .idempotencyKey("order-42/paid")         // resending within the window is a no-op
 *     .deliverAt(Instant.now().plusSeconds(30)) // not delivered before then
 *     .build();
 * }</pre>
 *
 * @param payload the body; may be empty, never null
 * @param key the partitioning and ordering key; {@code null} (none) and {@code ""} are different
 * @param headers ordered string headers; never null
 * @param timestamp when the message was produced; {@code null} until the store assigns it
 * @param idempotencyKey producer dedupe and consumer idempotency key, or {@code null}
 * @param deliverAt the earliest time the message may be delivered, or {@code null} for at once
 */
public record Message(
    byte[] payload,
    String key,
    Headers headers,
    Instant timestamp,
    String idempotencyKey,
    Instant deliverAt) {

  public Message {
    if (payload == null) {
      throw new InvalidMessageException(
          "payload must not be null; use an empty array for an empty message");
    }
    if (key != null) {
      Validation.key(key);
    }
    headers = headers == null ? Headers.empty() : headers;
    Validation.instant("timestamp", timestamp);
    if (idempotencyKey != null) {
      Validation.idempotencyKey(idempotencyKey);
    }
    Validation.instant("deliverAt", deliverAt);
  }

  /** A message with this payload and nothing else. */
  public static Message of(byte[] payload) {
    return new Message(payload, null, Headers.empty(), null, null, null);
  }

  /** A message whose payload is this text in UTF-8. */
  public static Message of(String payload) {
    return of(utf8(payload));
  }

  /** A builder for a message with this payload. */
  public static Builder builder(byte[] payload) {
    return new Builder(payload);
  }

  /** A builder for a message whose payload is this text in UTF-8. */
  public static Builder builder(String payload) {
    return new Builder(utf8(payload));
  }

  private static byte[] utf8(String payload) {
    if (payload == null) {
      throw new InvalidMessageException(
          "payload must not be null; use an empty string for an empty message");
    }
    return payload.getBytes(StandardCharsets.UTF_8);
  }

  /** The payload decoded as UTF-8. */
  public String payloadAsString() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** A builder that starts from this message. */
  public Builder toBuilder() {
    return new Builder(payload)
        .key(key)
        .headers(headers)
        .timestamp(timestamp)
        .idempotencyKey(idempotencyKey)
        .deliverAt(deliverAt);
  }

  /** This message with another timestamp. */
  public Message withTimestamp(Instant timestamp) {
    return new Message(payload, key, headers, timestamp, idempotencyKey, deliverAt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && Arrays.equals(payload, m.payload)
        && Objects.equals(key, m.key)
        && headers.equals(m.headers)
        && Objects.equals(timestamp, m.timestamp)
        && Objects.equals(idempotencyKey, m.idempotencyKey)
        && Objects.equals(deliverAt, m.deliverAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(payload), key, headers, timestamp, idempotencyKey, deliverAt);
  }

  @Override
  public String toString() {
    return "Message[payload="
        + payload.length
        + " bytes, key="
        + key
        + ", headers="
        + headers
        + ", timestamp="
        + timestamp
        + ", idempotencyKey="
        + idempotencyKey
        + ", deliverAt="
        + deliverAt
        + "]";
  }

  /** Builds a {@link Message}; every check runs in {@link #build()}. */
  public static final class Builder {
    private final byte[] payload;
    private String key;
    private final java.util.List<Header> headers = new java.util.ArrayList<>();
    private Instant timestamp;
    private String idempotencyKey;
    private Instant deliverAt;

    private Builder(byte[] payload) {
      this.payload = payload;
    }

    /** The partitioning and ordering key. */
    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /** Adds a header at the end (names may repeat). */
    public Builder header(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    /** Replaces all headers. */
    public Builder headers(Headers headers) {
      this.headers.clear();
      this.headers.addAll(headers.asList());
      return this;
    }

    /** The production time; by default the store assigns it on append. */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** Producer dedupe (per topic) and consumer idempotency (per group) key. */
    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /** Delayed delivery: not claimable before this time. */
    public Builder deliverAt(Instant deliverAt) {
      this.deliverAt = deliverAt;
      return this;
    }

    public Message build() {
      return new Message(payload, key, Headers.of(headers), timestamp, idempotencyKey, deliverAt);
    }
  }
}
