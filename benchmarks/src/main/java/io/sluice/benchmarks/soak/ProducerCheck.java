package io.sluice.benchmarks.soak;

import io.sluice.spi.PartitionInfo;
import io.sluice.spi.Storage;
import io.sluice.spi.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the producer rounds: the receipts file (written, fsynced, after each receipt) against
 * everything stored in {@value SoakChild#SENT}.
 *
 * @param receipted receipts written
 * @param stored messages in the topic
 * @param lost receipted messages not found at their partition and offset
 * @param duplicates ids stored more than once (the producer never resends, so any is a fault)
 * @param phantoms stored messages no producer attempted, and offsets out of order
 */
record ProducerCheck(long receipted, long stored, long lost, long duplicates, long phantoms) {
  private static final int CHUNK = 10_000;

  static ProducerCheck run(Storage storage, Path work) throws IOException {
    Set<Long> attempted = new HashSet<>();
    for (String[] f : LineLog.read(work.resolve("sent"))) {
      attempted.add(Long.parseLong(f[1]));
    }
    Map<Long, Long> idAt = new HashMap<>(); // partition << 48 | offset -> id
    Set<Long> storedIds = new HashSet<>();
    long stored = 0;
    long duplicates = 0;
    long phantoms = 0;
    for (PartitionInfo p : storage.describeTopic(SoakChild.SENT).partitions()) {
      long expected = p.logStartOffset();
      while (expected < p.endOffset()) {
        int max = (int) Math.min(CHUNK, p.endOffset() - expected);
        List<StoredMessage> chunk = storage.read(SoakChild.SENT, p.partition(), expected, max);
        if (chunk.isEmpty()) {
          phantoms += p.endOffset() - expected; // unreadable below the end offset
          break;
        }
        for (StoredMessage m : chunk) {
          if (m.offset() != expected) {
            phantoms++;
          }
          expected = m.offset() + 1;
          long id = Long.parseLong(m.message().payloadAsString().substring(2));
          stored++;
          if (!storedIds.add(id)) {
            duplicates++;
          }
          if (!attempted.contains(id)) {
            phantoms++;
          }
          idAt.put(key(p.partition(), m.offset()), id);
        }
      }
    }
    long receipted = 0;
    long lost = 0;
    for (String[] f : LineLog.read(work.resolve("receipts"))) {
      receipted++;
      Long there = idAt.get(key(Integer.parseInt(f[2]), Long.parseLong(f[3])));
      if (there == null || there != Long.parseLong(f[1])) {
        lost++;
      }
    }
    return new ProducerCheck(receipted, stored, lost, duplicates, phantoms);
  }

  private static long key(int partition, long offset) {
    return ((long) partition << 48) | offset;
  }

  boolean clean() {
    return lost == 0 && duplicates == 0 && phantoms == 0;
  }
}
