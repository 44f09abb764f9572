package io.sluice.storage.file.internal.dedupe;

/**
 * What a {@link DedupeIndex} holds for one key: where the original message went and when the key
 * was accepted. For a producer idempotency key, {@code (partition, offset, timestamp)} is the
 * original receipt; for a processed key, the store chooses what they mean (for example the acked
 * message's position). {@code (partition, offset)} are also the coordinates of the index's
 * checkpoint (see {@link DedupeIndex#advance}).
 *
 * @param partition 0 to {@link #MAX_PARTITION}
 * @param offset at least 0
 * @param timestamp epoch milliseconds (the original message's timestamp for producer keys)
 * @param acceptedAt epoch milliseconds when the key was accepted; the entry lives while {@code now
 *     < acceptedAt + window}
 */
public record DedupeEntry(int partition, long offset, long timestamp, long acceptedAt) {
  /** Largest partition an entry may name. */
  public static final int MAX_PARTITION = 65_535;

  public DedupeEntry {
    if (partition < 0 || partition > MAX_PARTITION) {
      throw new IllegalArgumentException(
          "partition must be 0 to " + MAX_PARTITION + "; found " + partition);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be at least 0; found " + offset);
    }
  }
}
