package io.sluice.storage.file.internal.state;

import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.util.List;

/**
 * New messages a claim read before taking its group's lock: for each partition, the messages from
 * where the previous claim left that partition's scan cursor ({@link GroupTopic#scanHints()}). Log
 * reads are most of a claim's work and need no group state, so reading them first keeps the lock
 * (which starts and acks of the same group wait for) short. Under the lock the claim uses what was
 * read only where the cursor is still at the offset read from (and that offset still in the log);
 * anywhere else it reads as before. The visible log never changes below its end, so what was read
 * is what a read under the lock would return, or a prefix of it when the log grew meanwhile.
 * Confined to the claiming thread.
 */
final class ReadAhead {
  static final ReadAhead NONE = new ReadAhead(new long[0], new Object[0]);

  private final long[] from;
  private final Object[] read;

  private ReadAhead(long[] from, Object[] read) {
    this.from = from;
    this.read = read;
  }

  /**
   * Reads up to {@code max} messages of each partition of {@code topic} from its hint, where the
   * hint is below the log end. A failed read is left to the claim (which reads again and meets it).
   */
  static ReadAhead read(LogView logs, String topic, long[] hints, int partitions, int max) {
    int n = Math.min(partitions, hints.length);
    Object[] read = null;
    for (int p = 0; p < n; p++) {
      long at = hints[p];
      if (at < 0) {
        continue;
      }
      try {
        SegmentSet log = logs.partition(topic, p);
        if (at >= log.endOffset() || at < log.logStart()) {
          continue;
        }
        List<StoredMessage> messages = log.read(at, max);
        if (!messages.isEmpty()) {
          read = read == null ? new Object[n] : read;
          read[p] = messages;
        }
      } catch (RuntimeException e) {
        // retention, a closed or failing log: the claim reads under the lock and handles it
      }
    }
    return read == null ? NONE : new ReadAhead(hints, read);
  }

  /**
   * The messages read ahead for {@code log} if they start at {@code at} (the cursor), at most
   * {@code want} of them, once; otherwise null (read the log).
   */
  @SuppressWarnings("unchecked")
  List<StoredMessage> take(SegmentSet log, long at, int want) {
    int p = log.partition();
    if (want <= 0 || p >= read.length || read[p] == null || from[p] != at) {
      return null;
    }
    List<StoredMessage> messages = (List<StoredMessage>) read[p];
    read[p] = null;
    if (at < log.logStart()) {
      return null; // retention removed them meanwhile: the read under the lock says so
    }
    return messages.size() <= want ? messages : messages.subList(0, want);
  }
}
