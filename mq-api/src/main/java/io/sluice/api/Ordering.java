package io.sluice.api;

/** How a consumer group's members may take messages of one partition. */
public enum Ordering {
  /** Any member takes any visible message: the greatest parallelism. The default. */
  UNORDERED,
  /**
   * Messages with the same key are handed out one at a time, in offset order; a message waiting for
   * a retry holds back the later ones of its key. Different keys still run in parallel. Messages
   * without a key are not ordered. Order holds for a fixed partition count: adding partitions moves
   * keys.
   */
  KEY_ORDERED
}
