package io.sluice.storage.file.internal.state;

import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.dedupe.DedupeEntry;
import io.sluice.storage.file.internal.dedupe.DedupeIndex;
import io.sluice.storage.file.internal.dedupe.DedupeSpace;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The store's dedupe keys, in {@link DedupeIndex}es of one {@link DedupeSpace}: {@code
 * <store>/dedupe/producer/<topic>/} per topic (producer idempotency keys) and {@code
 * <store>/dedupe/processed/<topic>/<group>/} per group and topic (processed keys, created by the
 * first ack that records one). Heap: a few hundred bytes per index, nothing per key.
 *
 * <p><b>Producer keys</b> are a cache of the log: an entry is its record's {@code (partition,
 * offset)}; {@link #checkpointProducers} advances each partition only up to offsets the log made
 * durable (read under the topic's lock, forced first under {@code OS}/{@code INTERVAL}) and then
 * checkpoints; on open each partition is {@link DedupeIndex#truncate truncated} to the recovered
 * log end and the keys of records after the checkpoint are put again.
 *
 * <p><b>Processed keys</b> are a cache of the state journal: an entry's "offset" is the journal
 * position of the ack record that holds the key (partition 0), put once that record is written;
 * {@link #checkpoint} advances to the end of the journal generation that compaction just closed and
 * forced, before that journal can be deleted. On open each index is truncated to the recovered
 * journal end (a key whose ack record was lost reads as absent) and the keys of ack records after
 * its checkpoint are put again.
 */
public final class KeyIndexes {
  private final DedupeSpace space;
  private final Path root;
  private final LogView logs;
  private final FailStop failStop;
  private final boolean sync;
  private final Map<String, ProducerKeys> producers = new ConcurrentHashMap<>();
  private final Set<DedupeIndex> processed = ConcurrentHashMap.newKeySet();

  KeyIndexes(DedupeSpace space, Path root, LogView logs, FailStop failStop, boolean sync) {
    this.space = space;
    this.root = root;
    this.logs = logs;
    this.failStop = failStop;
    this.sync = sync;
  }

  /** The topic's producer keys (the index touches no file until used). */
  public ProducerKeys producer(String topic) {
    return producers.computeIfAbsent(
        topic,
        t ->
            new ProducerKeys(
                t,
                space.open(root.resolve("producer").resolve(t), logs.config(t).dedupeWindow()),
                failStop));
  }

  private Path processedDir(GroupTopic g) {
    return root.resolve("processed").resolve(g.topic).resolve(g.group);
  }

  /** The group's processed-key index; null if it has none yet and {@code create} is false. */
  DedupeIndex processed(GroupTopic g, boolean create) {
    if (g.processed == null && (create || DedupeIndex.existsIn(processedDir(g)))) {
      Duration window = logs.config(g.topic).dedupeWindow();
      g.processed = space.open(processedDir(g), window);
      processed.add(g.processed);
    }
    return g.processed;
  }

  /** Whether the group recorded {@code key} within the window. Caller holds the group's lock. */
  boolean isProcessed(GroupTopic g, String key) {
    DedupeIndex index = processed(g, false);
    return index != null && index.find(key) != null;
  }

  /**
   * Puts the processed keys of written ack records (the {@link StateRecord.Done} records among
   * {@code records}, written from journal position {@code position} on). Caller holds the group's
   * lock.
   */
  void processed(GroupTopic g, List<StateRecord> records, long position) {
    boolean any = false;
    for (StateRecord r : records) {
      any |= r instanceof StateRecord.Done d && !d.keys().isEmpty();
    }
    if (!any) {
      return;
    }
    long at = position;
    try {
      for (StateRecord r : records) {
        if (r instanceof StateRecord.Done d && !d.keys().isEmpty()) {
          put(processed(g, true), d.keys(), at);
        }
        at += StateCodec.frameSize(r);
      }
    } catch (StorageFailedException e) {
      // the ack is in the journal but its key is not indexed: stop, and let the reopen re-put it
      throw failStop.fail("record a processed key", e);
    }
  }

  /** At open: puts the keys of a replayed ack record unless the index's checkpoint covers it. */
  void replayProcessed(GroupTopic g, List<StateRecord.Processed> keys, long position) {
    if (!logs.topics().contains(g.topic)) {
      return; // the topic is gone
    }
    DedupeIndex index = processed(g, true);
    if (position < 0 || position > index.checkpointOffset(0)) {
      put(index, keys, Math.max(0, position));
    }
  }

  private static void put(DedupeIndex index, List<StateRecord.Processed> keys, long position) {
    for (StateRecord.Processed p : keys) {
      long at = Micros.millis(p.at());
      index.put(p.key(), new DedupeEntry(0, position, at, at));
    }
  }

  /**
   * At open, after the replay: every processed-key index on disk is truncated to the recovered
   * journal end, and every topic's producer keys recovered from its log.
   *
   * @param legacyCheckpoints a version 1 state's producer checkpoints ({@code topic/partition} to
   *     end offset), used for topics that have no index yet
   */
  void recover(
      long journalEnd,
      Map<String, Long> legacyCheckpoints,
      BiFunction<String, String, GroupTopic> groupTopic)
      throws IOException {
    Path all = root.resolve("processed");
    if (Files.isDirectory(all)) {
      List<String> topics = logs.topics();
      try (Stream<Path> dirs = Files.walk(all, 2)) {
        for (Path d : dirs.filter(d -> all.relativize(d).getNameCount() == 2).toList()) {
          String topic = d.getParent().getFileName().toString();
          if (topics.contains(topic) && DedupeIndex.existsIn(d)) {
            processed(groupTopic.apply(d.getFileName().toString(), topic), false);
          }
        }
      }
    }
    for (DedupeIndex index : processed) {
      index.truncate(0, journalEnd);
    }
    for (String topic : logs.topics()) {
      recoverProducer(topic, legacyCheckpoints);
    }
  }

  private void recoverProducer(String topic, Map<String, Long> legacy) {
    ProducerKeys k = producer(topic);
    boolean exists = DedupeIndex.existsIn(k.index.directory());
    for (int p = 0; p < logs.config(topic).partitions(); p++) {
      SegmentSet log = logs.partition(topic, p);
      long end = log.endOffset();
      long from;
      if (exists) {
        k.index.truncate(p, end);
        from = k.index.checkpointOffset(p) + 1;
      } else {
        from = legacy.getOrDefault(topic + "/" + p, 0L);
      }
      from = Math.max(from, log.logStart());
      while (from < end) {
        List<StoredMessage> batch = log.read(from, 1000);
        for (StoredMessage m : batch) {
          String key = m.message().idempotencyKey();
          if (key != null) {
            long ts = m.message().timestamp().toEpochMilli();
            k.index.putIfAbsent(key, new DedupeEntry(p, m.offset(), ts, ts));
          }
        }
        from = batch.get(batch.size() - 1).offset() + 1;
      }
    }
  }

  /** At open, migrating a version 1 state: a producer key it held. */
  void migrate(StateRecord.LegacyDedupe d) {
    if (!logs.topics().contains(d.topic())
        || d.partition() >= logs.config(d.topic()).partitions()
        || d.offset() >= logs.partition(d.topic(), d.partition()).endOffset()) {
      return; // beyond the recovered log: lost with its tail
    }
    long at = Micros.millis(d.at());
    producer(d.topic())
        .index
        .putIfAbsent(
            d.key(), new DedupeEntry(d.partition(), d.offset(), Micros.millis(d.timestamp()), at));
  }

  /**
   * Compaction: makes the processed keys of every journal record below {@code journalUpTo} durable
   * in their indexes (the caller forced that journal), then checkpoints the producer keys.
   */
  void checkpoint(long journalUpTo) throws IOException {
    for (DedupeIndex index : processed) {
      index.advance(0, journalUpTo);
      index.checkpoint();
    }
    checkpointProducers();
  }

  /**
   * Makes every topic's producer keys durable up to the log offsets the log has made durable: the
   * ends are read under the topic's lock (no keyed append is then between its write and its puts),
   * forced first unless {@code SYNC} (where the visible end is forced already).
   */
  void checkpointProducers() throws IOException {
    for (String topic : logs.topics()) {
      ProducerKeys k = producer(topic);
      int n = logs.config(topic).partitions();
      long[] ends = new long[n];
      k.lock.lock();
      try {
        for (int p = 0; p < n; p++) {
          ends[p] = logs.partition(topic, p).endOffset();
        }
      } finally {
        k.lock.unlock();
      }
      if (k.advanced.length < n) {
        int old = k.advanced.length;
        k.advanced = Arrays.copyOf(k.advanced, n);
        Arrays.fill(k.advanced, old, n, -1);
      }
      for (int p = 0; p < n; p++) {
        if (ends[p] - 1 > k.advanced[p]) {
          SegmentSet log = logs.partition(topic, p);
          if (!sync && log.dirty()) {
            log.force();
          }
          k.index.advance(p, ends[p] - 1);
          k.advanced[p] = ends[p] - 1;
        }
      }
      k.index.checkpoint();
    }
  }

  /** Deletes the index buckets whose keys are all past their window. */
  void expire() {
    for (ProducerKeys k : producers.values()) {
      if (DedupeIndex.existsIn(k.index.directory())) {
        k.index.expire();
      }
    }
    for (DedupeIndex index : processed) {
      index.expire();
    }
  }

  /** Closes every index (each checkpoints what it has). */
  void close() {
    for (ProducerKeys k : producers.values()) {
      k.index.close();
    }
    for (DedupeIndex index : processed) {
      index.close();
    }
  }

  /** Mapped bytes and heap bytes of every index opened, for tests and benchmarks. */
  long[] usage() {
    long heap = 0;
    for (ProducerKeys k : producers.values()) {
      heap += k.index.heapBytes();
    }
    for (DedupeIndex index : processed) {
      heap += index.heapBytes();
    }
    return new long[] {space.mappedBytes(), heap};
  }
}
