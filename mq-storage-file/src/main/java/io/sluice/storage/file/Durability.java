package io.sluice.storage.file;

import io.sluice.api.internal.Validation;
import java.time.Duration;

/**
 * When the file store forces appended data to the disk, and so what a receipt survives.
 *
 * <table>
 *   <caption>What each policy survives</caption>
 *   <tr><th>Policy</th><th>Receipt after</th><th>Process crash (kill -9)</th><th>Power loss</th></tr>
 *   <tr><td>{@link Sync}</td><td>the fsync covering the message</td><td>nothing lost</td>
 *       <td>nothing lost</td></tr>
 *   <tr><td>{@link Interval}</td><td>the write to the page cache</td><td>nothing lost</td>
 *       <td>up to the last interval lost</td></tr>
 *   <tr><td>{@link Os}</td><td>the write to the page cache</td><td>nothing lost</td>
 *       <td>whatever the OS had not written back</td></tr>
 * </table>
 */
public sealed interface Durability {
  /** The default: receipt only after the fsync that covers the message (group-committed). */
  Durability SYNC = new Sync();

  /** Leave write-back to the operating system; fsync only on close and segment roll. */
  Durability OS = new Os();

  /** Fsync at least every {@code period}; receipts do not wait for it. */
  static Durability interval(Duration period) {
    return new Interval(period);
  }

  /** See {@link #SYNC}. */
  record Sync() implements Durability {}

  /**
   * See {@link #interval(Duration)}.
   *
   * @param period the longest time between forces; positive
   */
  record Interval(Duration period) implements Durability {
    /** Validates the period. */
    public Interval {
      Validation.positive("durability interval", period);
    }
  }

  /** See {@link #OS}. */
  record Os() implements Durability {}
}
