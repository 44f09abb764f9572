package io.sluice.storage.file.internal.state;

import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.log.SegmentSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves a {@link GroupStateStore} to and from records: replaying the journal at open, completing
 * the producer dedupe window from the logs, and capturing the whole state for a snapshot.
 */
final class StateSnapshots {
  private StateSnapshots() {}

  /** Applies one replayed record. */
  static void replay(GroupStateStore s, StateRecord r) {
    switch (r) {
      case StateRecord.Dedupe d -> {
        Receipt receipt = new Receipt(d.topic(), d.partition(), d.offset(), d.timestamp(), false);
        s.dedupe(d.topic()).put(d.key(), new ProducerDedupe.Accepted(receipt, d.at(), done()));
      }
      case StateRecord.Checkpoint c ->
          s.checkpoints.put(c.topic() + "/" + c.partition(), c.endOffset());
      case StateRecord.Cursor c -> s.groupTopic(c.group(), c.topic()).replay(r);
      case StateRecord.Entries e -> s.groupTopic(e.group(), e.topic()).replay(r);
      case StateRecord.Processed p -> s.groupTopic(p.group(), p.topic()).replay(r);
      case StateRecord.Open o -> {}
    }
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Drops dedupe keys whose message lies beyond a recovered log end, and adds the keys of messages
   * appended after each partition's checkpoint.
   */
  static void rescanLogs(GroupStateStore s) {
    for (String topic : s.logs.topics()) {
      for (int p = 0; p < s.logs.config(topic).partitions(); p++) {
        SegmentSet log = s.logs.partition(topic, p);
        long from = Math.max(log.logStart(), s.checkpoints.getOrDefault(topic + "/" + p, 0L));
        ProducerDedupe d = s.dedupe(topic);
        d.dropBeyond(p, log.endOffset());
        while (from < log.endOffset()) {
          List<StoredMessage> batch = log.read(from, 1000);
          for (StoredMessage m : batch) {
            String key = m.message().idempotencyKey();
            if (key != null) {
              Instant ts = m.message().timestamp();
              Receipt r = new Receipt(topic, m.partition(), m.offset(), ts, false);
              d.putIfAbsent(key, new ProducerDedupe.Accepted(r, ts, done()));
            }
          }
          from = batch.get(batch.size() - 1).offset() + 1;
        }
      }
    }
  }

  /** The whole state as records; each topic's dedupe keys and checkpoints under its lock. */
  static List<StateRecord> capture(GroupStateStore s) {
    List<StateRecord> state = new ArrayList<>();
    state.add(new StateRecord.Open(s.epoch));
    for (String topic : s.logs.topics()) {
      TopicConfig config = s.logs.config(topic);
      ProducerDedupe d = s.dedupe(topic);
      d.lock.lock();
      try {
        d.snapshot(topic, state);
        for (int p = 0; p < config.partitions(); p++) {
          state.add(new StateRecord.Checkpoint(topic, p, s.logs.partition(topic, p).endOffset()));
        }
      } finally {
        d.lock.unlock();
      }
    }
    for (Map<String, GroupTopic> byGroup : s.groups.values()) {
      for (GroupTopic g : byGroup.values()) {
        g.lock.lock();
        try {
          g.snapshot(state);
        } finally {
          g.lock.unlock();
        }
      }
    }
    return state;
  }
}
