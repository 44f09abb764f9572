package io.sluice.benchmarks.soak;

import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.Storage;
import io.sluice.spi.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the consumer rounds after the final drain, from the members' log ({@link SoakConsumer})
 * and the store: every message of {@value SoakChild#WORK} processed or dead-lettered; no message
 * processed again after an ack that returned; redeliveries (a message processed again whose earlier
 * processing never saw its ack return, because its process was killed) counted and bounded; every
 * message dead-lettered as {@code abandoned} had its handler started.
 *
 * @param messages messages in the topic
 * @param processed messages processed at least once
 * @param missing messages neither processed nor dead-lettered (lost)
 * @param duplicates processings after an ack had returned, plus messages both acked and
 *     dead-lettered
 * @param redelivered processings after an earlier one whose ack never returned
 * @param worstRound the most messages one killed round left processed-but-unacknowledged
 * @param starts handler starts logged
 * @param abandoned dead letters with reason {@code abandoned}
 * @param abandonedWithoutStart abandoned messages whose handler never started
 * @param abandonedNotPoison abandoned messages whose handler never hangs (not a fault in itself: a
 *     message in flight at {@code maxAttempts} kills in a row; expected to be 0 or near it)
 * @param otherDeadLetters dead letters for any other reason
 */
record ConsumerCheck(
    long messages,
    long processed,
    long missing,
    long duplicates,
    long redelivered,
    long worstRound,
    long starts,
    long abandoned,
    long abandonedWithoutStart,
    long abandonedNotPoison,
    long otherDeadLetters) {

  static ConsumerCheck run(Storage storage, Path work) throws IOException {
    Map<Long, Boolean> poison = new HashMap<>();
    for (PartitionInfo p : storage.describeTopic(SoakChild.WORK).partitions()) {
      for (long from = p.logStartOffset(); from < p.endOffset(); ) {
        int max = (int) Math.min(10_000, p.endOffset() - from);
        List<StoredMessage> chunk = storage.read(SoakChild.WORK, p.partition(), from, max);
        for (StoredMessage m : chunk) {
          String[] f = m.message().payloadAsString().split(":");
          poison.put(Long.parseLong(f[1]), f.length > 2);
        }
        from = chunk.isEmpty() ? p.endOffset() : chunk.getLast().offset() + 1;
      }
    }
    Map<Long, Integer> starts = new HashMap<>();
    Map<Long, Integer> processings = new HashMap<>();
    Set<Long> acked = new HashSet<>();
    Map<String, Set<Long>> unackedByRound = new HashMap<>();
    long duplicates = 0;
    long redelivered = 0;
    long startCount = 0;
    for (String[] f : LineLog.read(work.resolve("consumer"))) {
      long id = Long.parseLong(f[2]);
      switch (f[0]) {
        case "H" -> {
          starts.merge(id, 1, Integer::sum);
          startCount++;
        }
        case "P" -> {
          if (acked.contains(id)) {
            duplicates++;
          } else if (processings.containsKey(id)) {
            redelivered++;
          }
          processings.merge(id, 1, Integer::sum);
          unackedByRound.computeIfAbsent(f[1], r -> new HashSet<>()).add(id);
        }
        case "A" -> {
          acked.add(id);
          unackedByRound.get(f[1]).remove(id);
        }
        default -> throw new IllegalStateException("unexpected consumer log line " + f[0]);
      }
    }
    long worstRound = unackedByRound.values().stream().mapToLong(Set::size).max().orElse(0);
    long abandoned = 0;
    long withoutStart = 0;
    long notPoison = 0;
    long other = 0;
    Set<Long> deadLettered = new HashSet<>();
    String dlq = SoakChild.WORK + ".dlq";
    boolean hasDlq = storage.listTopics().stream().anyMatch(t -> t.name().equals(dlq));
    List<DeadLetter> dead =
        hasDlq
            ? SluiceAdmin.create(storage, InstantSource.system()).deadLetters(dlq, 1_000_000)
            : List.of();
    for (DeadLetter d : dead) {
      long id = Long.parseLong(d.message().payloadAsString().split(":")[1]);
      if (!deadLettered.add(id) || acked.contains(id)) {
        duplicates++;
      }
      if ("abandoned".equals(d.reason())) {
        abandoned++;
        withoutStart += starts.containsKey(id) ? 0 : 1;
        notPoison += Boolean.TRUE.equals(poison.get(id)) ? 0 : 1;
      } else {
        other++;
      }
    }
    long missing =
        poison.keySet().stream()
            .filter(id -> !processings.containsKey(id) && !deadLettered.contains(id))
            .count();
    return new ConsumerCheck(
        poison.size(),
        processings.size(),
        missing,
        duplicates,
        redelivered,
        worstRound,
        startCount,
        abandoned,
        withoutStart,
        notPoison,
        other);
  }

  boolean clean() {
    return missing == 0 && duplicates == 0 && abandonedWithoutStart == 0 && otherDeadLetters == 0;
  }
}
