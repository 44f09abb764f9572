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
 * Checks the consumer rounds after the final drain, from the members' log ({@link SoakConsumer},
 * {@link StartLog}) and the store: every message of {@value SoakChild#WORK} processed or
 * dead-lettered; no message processed again after an ack that returned; redeliveries (a message
 * processed again whose earlier processing never saw its ack return, because its process was
 * killed) counted and bounded; every message dead-lettered as {@code abandoned} had all its {@code
 * maxAttempts} attempts counted by handler starts; and a member never marked more deliveries
 * started than it had handler slots for.
 *
 * @param messages messages in the topic
 * @param processed messages processed at least once
 * @param missing messages neither processed nor dead-lettered (lost)
 * @param duplicates processings after an ack had returned, plus messages both acked and
 *     dead-lettered
 * @param redelivered processings after an earlier one whose ack never returned
 * @param worstRound the most messages one killed round left processed but unacknowledged
 * @param marked attempts counted ({@code markStarted}) by the members
 * @param starts handler starts logged (fewer than {@code marked}: a kill can fall between the mark
 *     and the handler's first line)
 * @param markedNotRunMax the most deliveries one round marked started whose handler had not logged
 *     its start when the process died (at most the concurrency: only deliveries with a free handler
 *     slot are marked)
 * @param abandoned dead letters with reason {@code abandoned}
 * @param abandonedWithoutStart abandoned messages whose handler never logged a start
 * @param abandonedFewerStarts abandoned messages whose handler logged fewer than {@code
 *     maxAttempts} starts (some counted attempt never reached the handler's first line; a kill
 *     right after the handler began can cause it too)
 * @param abandonedUnmarked abandoned messages with fewer than {@code maxAttempts} starts marked by
 *     the runtime ({@code markStarted}, or a claim that counts starts): an attempt the store
 *     counted without either. Each round killed inside a claim that counts starts excuses one
 *     missing mark (it may have counted attempts it had not yet logged)
 * @param abandonedNotPoison abandoned messages whose handler never hangs (not a fault in itself: a
 *     message in flight at {@code maxAttempts} kills; expected to be rare)
 * @param otherDeadLetters dead letters for any other reason (the handler never throws)
 * @param concurrency the members' handler slots
 */
record ConsumerCheck(
    long messages,
    long processed,
    long missing,
    long duplicates,
    long redelivered,
    long worstRound,
    long marked,
    long starts,
    long markedNotRunMax,
    long abandoned,
    long abandonedWithoutStart,
    long abandonedFewerStarts,
    long abandonedUnmarked,
    long abandonedNotPoison,
    long otherDeadLetters,
    int concurrency) {

  static ConsumerCheck run(Storage storage, Path work, int maxAttempts, int concurrency)
      throws IOException {
    Map<Long, Boolean> poison = new HashMap<>();
    Map<Long, Long> idAt = new HashMap<>();
    for (PartitionInfo p : storage.describeTopic(SoakChild.WORK).partitions()) {
      for (long from = p.logStartOffset(); from < p.endOffset(); ) {
        int max = (int) Math.min(10_000, p.endOffset() - from);
        List<StoredMessage> chunk = storage.read(SoakChild.WORK, p.partition(), from, max);
        for (StoredMessage m : chunk) {
          String[] f = m.message().payloadAsString().split(":");
          long id = Long.parseLong(f[1]);
          poison.put(id, f.length > 2);
          idAt.put(((long) p.partition() << 48) | m.offset(), id);
        }
        from = chunk.isEmpty() ? p.endOffset() : chunk.getLast().offset() + 1;
      }
    }
    Log log = Log.read(work.resolve("consumer"), idAt);
    long abandoned = 0;
    long withoutStart = 0;
    long fewerStarts = 0;
    long unmarked = 0;
    long notPoison = 0;
    long other = 0;
    long duplicates = log.duplicates;
    Set<Long> deadLettered = new HashSet<>();
    String dlq = SoakChild.WORK + ".dlq";
    boolean hasDlq = storage.listTopics().stream().anyMatch(t -> t.name().equals(dlq));
    List<DeadLetter> dead =
        hasDlq
            ? SluiceAdmin.create(storage, InstantSource.system()).deadLetters(dlq, 1_000_000)
            : List.of();
    for (DeadLetter d : dead) {
      long id = Long.parseLong(d.message().payloadAsString().split(":")[1]);
      if (!deadLettered.add(id) || log.acked.contains(id)) {
        duplicates++;
      }
      if ("abandoned".equals(d.reason())) {
        abandoned++;
        int started = log.starts.getOrDefault(id, 0);
        withoutStart += started == 0 ? 1 : 0;
        fewerStarts += started < maxAttempts ? 1 : 0;
        unmarked += log.marks.getOrDefault(id, 0) + log.openClaims.size() < maxAttempts ? 1 : 0;
        notPoison += Boolean.TRUE.equals(poison.get(id)) ? 0 : 1;
      } else {
        other++;
      }
    }
    long missing =
        poison.keySet().stream()
            .filter(id -> !log.processings.containsKey(id) && !deadLettered.contains(id))
            .count();
    return new ConsumerCheck(
        poison.size(),
        log.processings.size(),
        missing,
        duplicates,
        log.redelivered,
        log.worstUnacked(),
        log.markCount,
        log.startCount,
        log.worstMarkedNotRun(),
        abandoned,
        withoutStart,
        fewerStarts,
        unmarked,
        notPoison,
        other,
        concurrency);
  }

  /** Rounds that marked more deliveries started than they had handler slots: 0 or a fault. */
  long excessUnstarted() {
    return markedNotRunMax > concurrency ? 1 : 0;
  }

  boolean clean() {
    return missing == 0
        && duplicates == 0
        && abandonedWithoutStart == 0
        && abandonedUnmarked == 0
        && otherDeadLetters == 0
        && excessUnstarted() == 0;
  }

  /** The consumer log, replayed in the order it was written. */
  private static final class Log {
    final Map<Long, Integer> marks = new HashMap<>();
    final Map<Long, Integer> starts = new HashMap<>();
    final Map<Long, Integer> processings = new HashMap<>();
    final Set<Long> acked = new HashSet<>();
    final Map<String, Set<Long>> unackedByRound = new HashMap<>();
    final Map<String, Set<Long>> markedNotRunByRound = new HashMap<>();

    /** Rounds killed inside a claim that counts starts (an S line without its E line). */
    final Set<String> openClaims = new HashSet<>();

    long duplicates;
    long redelivered;
    long markCount;
    long startCount;

    static Log read(Path file, Map<Long, Long> idAt) throws IOException {
      Log log = new Log();
      for (String[] f : LineLog.read(file)) {
        String round = f[1];
        if (f[0].equals("S")) {
          log.openClaims.add(round);
          continue;
        }
        if (f[0].equals("E")) {
          log.openClaims.remove(round);
          continue;
        }
        long id = idAt.get((Long.parseLong(f[2]) << 48) | Long.parseLong(f[3]));
        switch (f[0]) {
          case "M" -> {
            log.marks.merge(id, 1, Integer::sum);
            log.markCount++;
            log.markedNotRunByRound.computeIfAbsent(round, r -> new HashSet<>()).add(id);
          }
          case "H" -> {
            log.startCount++;
            log.starts.merge(id, 1, Integer::sum);
            Set<Long> waiting = log.markedNotRunByRound.get(round);
            if (waiting != null) {
              waiting.remove(id);
            }
          }
          case "P" -> log.processed(round, id);
          case "A" -> {
            log.acked.add(id);
            log.unackedByRound.get(round).remove(id);
          }
          default -> throw new IllegalStateException("unexpected consumer log line " + f[0]);
        }
      }
      return log;
    }

    private void processed(String round, long id) {
      if (acked.contains(id)) {
        duplicates++;
      } else if (processings.containsKey(id)) {
        redelivered++;
      }
      processings.merge(id, 1, Integer::sum);
      unackedByRound.computeIfAbsent(round, r -> new HashSet<>()).add(id);
    }

    long worstUnacked() {
      return unackedByRound.values().stream().mapToLong(Set::size).max().orElse(0);
    }

    long worstMarkedNotRun() {
      return markedNotRunByRound.values().stream().mapToLong(Set::size).max().orElse(0);
    }
  }
}
