package io.sluice.consumer.internal;

import io.sluice.api.Message;
import io.sluice.consumer.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency keys the runtime derives, so that retries of its own appends (dead-lettering,
 * redrive) are deduplicated by the store. Each is a prefix plus the SHA-256 of its parts: short
 * enough for any name length, and stable across processes.
 */
final class DerivedKeys {
  private DerivedKeys() {}

  /** The dead letter of one delivery history of one message in one group. */
  static String deadLetter(String group, String topic, int partition, long offset, long since) {
    return "sluice-dlq:"
        + sha256(group, topic, Integer.toString(partition), offset + "", since + "");
  }

  /** The re-enqueued copy of one dead-letter entry. */
  static String redrive(String deadLetterTopic, int partition, long offset) {
    return "sluice-redrive:" + sha256(deadLetterTopic, Integer.toString(partition), offset + "");
  }

  /** The processed key that marks a dead-letter entry settled in the admin group. */
  static String deadLetterEntry(int partition, long offset) {
    return "sluice-entry:" + partition + ":" + offset;
  }

  /** The key consumer idempotency uses: the original one of a redriven message, else its own. */
  static String processedKey(Message message) {
    if (message.headers().size() == 0) {
      return message.idempotencyKey();
    }
    return message
        .headers()
        .lastValue(DeadLetterHeaders.IDEMPOTENCY_KEY)
        .orElse(message.idempotencyKey());
  }

  private static String sha256(String... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
