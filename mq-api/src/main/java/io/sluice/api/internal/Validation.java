package io.sluice.api.internal;

import io.sluice.api.Header;
import io.sluice.api.Message;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.api.error.MessageTooLargeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every rule on names, strings, sizes and times, in one place. Each check throws the specific
 * {@link io.sluice.api.error.InvalidRequestException} subclass with a message that says what was
 * wrong and what is allowed.
 */
public final class Validation {
  /** Longest topic or group name, in characters. */
  public static final int MAX_NAME_LENGTH = 200;

  /** Longest message key, in UTF-8 bytes (keys are indexed by the SQL backend). */
  public static final int MAX_KEY_BYTES = 1024;

  /** Longest idempotency key, in UTF-8 bytes. */
  public static final int MAX_IDEMPOTENCY_KEY_BYTES = 256;

  /** Longest header name, in UTF-8 bytes. */
  public static final int MAX_HEADER_NAME_BYTES = 256;

  /** Most headers on one message. */
  public static final int MAX_HEADERS = 256;

  /** Most partitions in one topic. */
  public static final int MAX_PARTITIONS = 4096;

  /** Largest configurable message size limit: 64 MiB. */
  public static final int MAX_MESSAGE_BYTES_LIMIT = 64 << 20;

  /** Earliest timestamp or {@code deliverAt} accepted: the Unix epoch. */
  public static final Instant MIN_INSTANT = Instant.EPOCH;

  /** Latest timestamp or {@code deliverAt} accepted: the end of year 9999 UTC. */
  public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Validation() {}

  /** Checks a topic name and returns it. */
  public static String topic(String name) {
    return name(InvalidNameException.Kind.TOPIC, name);
  }

  /** Checks a consumer-group name and returns it. */
  public static String group(String name) {
    return name(InvalidNameException.Kind.GROUP, name);
  }

  private static String name(InvalidNameException.Kind kind, String name) {
    if (name == null) {
      throw new InvalidNameException(kind, null, "it is null");
    }
    if (name.isEmpty()) {
      throw new InvalidNameException(kind, name, "it is empty");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidNameException(
          kind,
          name,
          "it has " + name.codePointCount(0, name.length()) + " characters (at most 200)");
    }
    int position = 0;
    for (int i = 0; i < name.length(); i += Character.charCount(name.codePointAt(i))) {
      int c = name.codePointAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (i == 0 && !alnum) {
        throw new InvalidNameException(kind, name, "it starts with " + Texts.codePoint(c));
      }
      if (!alnum && c != '.' && c != '_' && c != '-') {
        throw new InvalidNameException(
            kind,
            name,
            "character " + Texts.codePoint(c) + " at position " + position + " is not allowed");
      }
      position++;
    }
    return name;
  }

  /**
   * Checks a string that will be stored as text (key, header, idempotency key): not null, no NUL
   * character (PostgreSQL text cannot hold it), no lone UTF-16 surrogate (UTF-8 cannot encode it).
   * Returns its UTF-8 length.
   */
  public static int text(String what, String value) {
    if (value == null) {
      throw new InvalidMessageException(what + " must not be null");
    }
    int bytes = scanText(value);
    if (bytes < 0) {
      throw textFailure(what, bytes);
    }
    return bytes;
  }

  /**
   * The UTF-8 length of a string that passes {@link #text}, or a negative code naming its first
   * fault ({@code -2i-1}: NUL at index {@code i}; {@code -2i-2}: lone surrogate there). Runs a
   * plain loop while the text is ASCII, the usual case, and builds no message.
   */
  private static int scanText(String value) {
    int n = value.length();
    int i = 0;
    while (i < n) {
      char c = value.charAt(i);
      if (c == 0 || c >= 0x80) {
        break;
      }
      i++;
    }
    return i == n ? n : scanTextFrom(value, i, i);
  }

  private static int scanTextFrom(String value, int from, int asciiBytes) {
    int bytes = asciiBytes;
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return -2 * i - 1;
      } else if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          bytes += 4;
          i++;
        } else {
          return -2 * i - 2;
        }
      } else if (Character.isLowSurrogate(c)) {
        return -2 * i - 2;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static InvalidMessageException textFailure(String what, int code) {
    int fault = -code - 1;
    int index = fault >> 1;
    if ((fault & 1) == 0) {
      return new InvalidMessageException(
          what + " contains a NUL character (U+0000) at index " + index + "; it cannot be stored");
    }
    return new InvalidMessageException(
        what
            + " contains a lone UTF-16 surrogate at index "
            + index
            + "; expected well-formed Unicode (it cannot be encoded as UTF-8)");
  }

  /** Checks a message key and returns its UTF-8 length. */
  public static int key(String key) {
    int bytes = text("key", key);
    if (bytes > MAX_KEY_BYTES) {
      throw new MessageTooLargeException("key", bytes, MAX_KEY_BYTES);
    }
    return bytes;
  }

  /** Checks an idempotency key and returns its UTF-8 length. */
  public static int idempotencyKey(String key) {
    int bytes = text("idempotency key", key);
    if (bytes == 0) {
      throw new InvalidMessageException("idempotency key must not be empty; use null for none");
    }
    if (bytes > MAX_IDEMPOTENCY_KEY_BYTES) {
      throw new MessageTooLargeException("idempotency key", bytes, MAX_IDEMPOTENCY_KEY_BYTES);
    }
    return bytes;
  }

  /** Checks one header; returns the UTF-8 length of name plus value. */
  public static int header(String name, String value) {
    int nameBytes = text("header name", name);
    if (nameBytes == 0) {
      throw new InvalidMessageException("header name must not be empty");
    }
    if (nameBytes > MAX_HEADER_NAME_BYTES) {
      throw new MessageTooLargeException("header name", nameBytes, MAX_HEADER_NAME_BYTES);
    }
    int valueBytes = value == null ? -1 : scanText(value);
    if (valueBytes < 0) { // only now the name is quoted into the message
      text("value of header " + Texts.quote(name), value);
    }
    return nameBytes + valueBytes;
  }

  /** Checks the number of headers. */
  public static void headerCount(int count) {
    if (count > MAX_HEADERS) {
      throw new InvalidMessageException(
          "too many headers: expected at most " + MAX_HEADERS + ", found " + count);
    }
  }

  /** Checks a message timestamp or delivery time. */
  public static Instant instant(String what, Instant value) {
    if (value != null && (value.isBefore(MIN_INSTANT) || value.isAfter(MAX_INSTANT))) {
      throw new InvalidMessageException(
          what + " " + value + " is out of range: expected " + MIN_INSTANT + " to " + MAX_INSTANT);
    }
    return value;
  }

  /**
   * The size a message counts against {@code maxMessageBytes}: payload, key, idempotency key, and
   * each header's name and value, in UTF-8 bytes. All strings were checked when the message was
   * built.
   */
  public static long encodedSize(Message message) {
    long size = message.payload().length;
    if (message.key() != null) {
      size += utf8Length(message.key());
    }
    if (message.idempotencyKey() != null) {
      size += utf8Length(message.idempotencyKey());
    }
    List<Header> headers = message.headers().asList();
    for (Header h : headers) {
      size += utf8Length(h.name()) + utf8Length(h.value());
    }
    return size;
  }

  /** Rejects a message larger than the limit. */
  public static void size(Message message, int maxMessageBytes) {
    long size = encodedSize(message);
    if (size > maxMessageBytes) {
      throw new MessageTooLargeException("message", size, maxMessageBytes);
    }
  }

  /** UTF-8 length of a well-formed string (as checked by {@link #text}). */
  public static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Checks a partition count. */
  public static int partitions(int partitions) {
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new InvalidConfigException(
          "partitions must be 1 to " + MAX_PARTITIONS + ", found " + partitions);
    }
    return partitions;
  }

  /** Checks a duration that must be strictly positive (leases, windows). */
  public static Duration positive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidConfigException(what + " must be a positive duration, found " + value);
    }
    return value;
  }

  /** Checks a duration that must not be negative (delays). */
  public static Duration nonNegative(String what, Duration value) {
    if (value == null || value.isNegative()) {
      throw new InvalidConfigException(what + " must be zero or positive, found " + value);
    }
    return value;
  }

  /** Checks an int that must be at least {@code min}. */
  public static int atLeast(String what, int value, int min) {
    if (value < min) {
      throw new InvalidConfigException(what + " must be at least " + min + ", found " + value);
    }
    return value;
  }

  /** Checks a required argument. */
  public static <T> T required(String what, T value) {
    if (value == null) {
      throw new InvalidConfigException(what + " must not be null");
    }
    return value;
  }
}
