package io.sluice.storage.file;

import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/**
 * How to open a {@link FileStorage}. Build with {@link #builder(Path)}:
 *
 * <pre>{@code
 * FileStorageConfig config = FileStorageConfig.builder(Path.of("/var/lib/app/queue"))
 *     .durability(Durability.SYNC)          // the default
 *     .segmentBytes(64 << 20)               // the default
 *     .build();
 * try (FileStorage store = FileStorage.open(config)) { ... }
 * }</pre>
 *
 * @param directory the store's directory; created if missing; held by one store at a time
 * @param clock the store's clock for timestamps, leases, visibility and retention
 * @param durability when appends are forced to disk (default {@link Durability#SYNC})
 * @param segmentBytes roll a partition's segment when it would grow past this (default 64 MiB)
 * @param segmentAge roll a non-empty segment older than this on the next append (default 7 days)
 * @param indexIntervalBytes log bytes between sparse index entries (default 4 KiB)
 * @param retentionCheckInterval how often retention runs in the background (default 1 minute)
 * @param truncateCorruptData on open, cut a partition's active segment at a corrupt batch (and the
 *     newest group-state journal at a corrupt frame) instead of failing with {@link
 *     io.sluice.api.error.StorageCorruptedException}; loses what follows. Off by default.
 * @param stateJournalBytes compact the group-state journal into a snapshot when it grows past this
 *     (default 16 MiB)
 * @param keyOrderedWaitingLimit {@code KEY_ORDERED}: how many runs of consecutive offsets of
 *     messages waiting behind an earlier message of their key one group keeps in memory per
 *     partition (16 bytes each; default 100,000, at most 1.6 MB). Beyond it a key's later messages
 *     are not kept but found again by reading the log when the key moves on: other keys keep
 *     flowing, the held key keeps its order, and only that key's part of the log is read twice.
 * @param dedupeMappedBytes the dedupe indexes (producer idempotency keys per topic, processed keys
 *     per group and topic) keep their keys in memory-mapped files, not on the heap: their heap is a
 *     few hundred bytes per index whatever the number of keys. This bounds the bytes they map at a
 *     time (the page cache they can pin; default 1 GiB, at least 1 MiB): past it the least recently
 *     used indexes are unmapped until used again.
 */
public record FileStorageConfig(
    Path directory,
    InstantSource clock,
    Durability durability,
    int segmentBytes,
    Duration segmentAge,
    int indexIntervalBytes,
    Duration retentionCheckInterval,
    boolean truncateCorruptData,
    long stateJournalBytes,
    int keyOrderedWaitingLimit,
    long dedupeMappedBytes) {

  /** 64 MiB. */
  public static final int DEFAULT_SEGMENT_BYTES = 64 << 20;

  /** Validates every field. */
  public FileStorageConfig {
    Validation.required("directory", directory);
    Validation.required("clock", clock);
    Validation.required("durability", durability);
    if (segmentBytes < 1024) {
      throw new InvalidConfigException("segmentBytes must be at least 1024, found " + segmentBytes);
    }
    Validation.positive("segmentAge", segmentAge);
    if (indexIntervalBytes < 64) {
      throw new InvalidConfigException(
          "indexIntervalBytes must be at least 64, found " + indexIntervalBytes);
    }
    Validation.positive("retentionCheckInterval", retentionCheckInterval);
    if (stateJournalBytes < 4096) {
      throw new InvalidConfigException(
          "stateJournalBytes must be at least 4096, found " + stateJournalBytes);
    }
    if (keyOrderedWaitingLimit < 1) {
      throw new InvalidConfigException(
          "keyOrderedWaitingLimit must be at least 1, found " + keyOrderedWaitingLimit);
    }
    if (dedupeMappedBytes < 1 << 20) {
      throw new InvalidConfigException(
          "dedupeMappedBytes must be at least 1 MiB (1048576), found " + dedupeMappedBytes);
    }
  }

  /** A builder with the defaults for a store in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Builds a {@link FileStorageConfig}; every check runs in {@link #build()}. */
  public static final class Builder {
    private final Path directory;
    private InstantSource clock = InstantSource.system();
    private Durability durability = Durability.SYNC;
    private int segmentBytes = DEFAULT_SEGMENT_BYTES;
    private Duration segmentAge = Duration.ofDays(7);
    private int indexIntervalBytes = 4096;
    private Duration retentionCheckInterval = Duration.ofMinutes(1);
    private boolean truncateCorruptData;
    private long stateJournalBytes = 16 << 20;
    private int keyOrderedWaitingLimit = 100_000;
    private long dedupeMappedBytes = 1L << 30;

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** The store's clock (tests pass a settable one). */
    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /** When appends are forced to disk. */
    public Builder durability(Durability durability) {
      this.durability = durability;
      return this;
    }

    /** The size at which a segment rolls. */
    public Builder segmentBytes(int segmentBytes) {
      this.segmentBytes = segmentBytes;
      return this;
    }

    /** The age at which a non-empty segment rolls. */
    public Builder segmentAge(Duration segmentAge) {
      this.segmentAge = segmentAge;
      return this;
    }

    /** Log bytes between index entries. */
    public Builder indexIntervalBytes(int indexIntervalBytes) {
      this.indexIntervalBytes = indexIntervalBytes;
      return this;
    }

    /** How often background retention runs. */
    public Builder retentionCheckInterval(Duration retentionCheckInterval) {
      this.retentionCheckInterval = retentionCheckInterval;
      return this;
    }

    /** Opt in to cutting the log at corrupt data on open (loses what follows). */
    public Builder truncateCorruptData(boolean truncateCorruptData) {
      this.truncateCorruptData = truncateCorruptData;
      return this;
    }

    /** The journal size that triggers a group-state snapshot. */
    public Builder stateJournalBytes(long stateJournalBytes) {
      this.stateJournalBytes = stateJournalBytes;
      return this;
    }

    /** {@code KEY_ORDERED}: runs of waiting offsets kept per group and partition. */
    public Builder keyOrderedWaitingLimit(int keyOrderedWaitingLimit) {
      this.keyOrderedWaitingLimit = keyOrderedWaitingLimit;
      return this;
    }

    /** Bytes the dedupe indexes may map at a time. */
    public Builder dedupeMappedBytes(long dedupeMappedBytes) {
      this.dedupeMappedBytes = dedupeMappedBytes;
      return this;
    }

    /** The configuration. */
    public FileStorageConfig build() {
      return new FileStorageConfig(
          directory,
          clock,
          durability,
          segmentBytes,
          segmentAge,
          indexIntervalBytes,
          retentionCheckInterval,
          truncateCorruptData,
          stateJournalBytes,
          keyOrderedWaitingLimit,
          dedupeMappedBytes);
    }
  }
}
