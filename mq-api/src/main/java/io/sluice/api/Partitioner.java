package io.sluice.api;

import io.sluice.api.internal.Validation;
import java.nio.charset.StandardCharsets;

/**
 * Maps a message key to a partition, identically on every backend and in every release.
 *
 * <p>The hash is MurmurHash3 x86 32-bit with seed 0 over the key's UTF-8 bytes; the partition is
 * {@code (hash & 0x7fffffff) % partitions}. Fixed vectors (tested): {@code hash("") = 0}, {@code
 * hash("hello") = 0x248bfa47}, {@code hash("The quick brown fox jumps over the lazy dog") =
 * 0x2e4ff723}. Adding partitions moves keys to other partitions, as in Kafka.
 */
public final class Partitioner {
  private Partitioner() {}

  /** The partition of {@code key} in a topic with {@code partitions} partitions. */
  public static int partition(String key, int partitions) {
    Validation.partitions(partitions);
    return (hash(key) & 0x7fffffff) % partitions;
  }

  /** MurmurHash3 x86 32-bit, seed 0, of the key's UTF-8 bytes. */
  public static int hash(String key) {
    return murmur3(key.getBytes(StandardCharsets.UTF_8));
  }

  /** MurmurHash3 x86 32-bit, seed 0. */
  static int murmur3(byte[] data) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = 0;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int j = i * 4;
      int k =
          (data[j] & 0xff)
              | (data[j + 1] & 0xff) << 8
              | (data[j + 2] & 0xff) << 16
              | (data[j + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int rest = data.length & 3;
    if (rest > 0) {
      int k = 0;
      if (rest == 3) {
        k ^= (data[tail + 2] & 0xff) << 16;
      }
      if (rest >= 2) {
        k ^= (data[tail + 1] & 0xff) << 8;
      }
      k ^= data[tail] & 0xff;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
