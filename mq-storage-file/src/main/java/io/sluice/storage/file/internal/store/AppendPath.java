package io.sluice.storage.file.internal.store;

import io.sluice.api.Message;
import io.sluice.api.Partitioner;
import io.sluice.api.Receipt;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.MessageTooLargeException;
import io.sluice.api.internal.Validation;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.file.internal.io.GroupCommitter;
import io.sluice.storage.file.internal.log.BatchCodec;
import io.sluice.storage.file.internal.log.SegmentSet;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.GroupStateStore;
import io.sluice.storage.file.internal.state.ProducerDedupe;
import io.sluice.storage.file.internal.state.StateRecord;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The append path: validate the whole call, pick partitions, dedupe idempotency keys, write one
 * batch per partition, then (under {@code SYNC}) wait for the group commit. Calls without
 * idempotency keys take no lock beyond their partitions' own.
 */
public final class AppendPath {
  private final GroupStateStore state;
  private final GroupCommitter committer;

  /**
   * @param committer the group committer under {@code SYNC}, else null
   */
  public AppendPath(GroupStateStore state, GroupCommitter committer) {
    this.state = state;
    this.committer = committer;
  }

  /** See {@link io.sluice.spi.Storage#append}. */
  public List<Receipt> append(TopicLog topic, List<OutgoingMessage> batch, Instant now) {
    int[] target = plan(topic, batch);
    boolean keyed = false;
    for (OutgoingMessage m : batch) {
      keyed |= m.message().idempotencyKey() != null;
    }
    if (!keyed) {
      Receipt[] receipts = new Receipt[batch.size()];
      List<CompletableFuture<Void>> rounds = write(topic, batch, target, null, now, receipts);
      await(rounds);
      return List.of(receipts);
    }
    return appendKeyed(topic, batch, target, now);
  }

  private List<Receipt> appendKeyed(
      TopicLog topic, List<OutgoingMessage> batch, int[] target, Instant now) {
    ProducerDedupe dedupe = state.dedupe(topic.name());
    Receipt[] receipts = new Receipt[batch.size()];
    int[] duplicateOf = new int[batch.size()];
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    dedupe.lock.lock();
    try {
      Map<String, Integer> inCall = new HashMap<>();
      boolean[] skip = new boolean[batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        duplicateOf[i] = -1;
        String key = batch.get(i).message().idempotencyKey();
        if (key == null) {
          continue;
        }
        Integer first = inCall.putIfAbsent(key, i);
        ProducerDedupe.Accepted earlier =
            first != null ? null : dedupe.find(key, now, topic.config().dedupeWindow());
        if (first != null) {
          duplicateOf[i] = first;
          skip[i] = true;
        } else if (earlier != null) {
          receipts[i] = earlier.receipt().asDuplicate();
          waits.add(earlier.durable());
          skip[i] = true;
        }
      }
      List<CompletableFuture<Void>> rounds = write(topic, batch, target, skip, now, receipts);
      CompletableFuture<Void> durable =
          rounds.isEmpty()
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new));
      List<StateRecord.Dedupe> records = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        String key = batch.get(i).message().idempotencyKey();
        if (key != null && !skip[i]) {
          Receipt r = receipts[i];
          dedupe.put(key, new ProducerDedupe.Accepted(r, now, durable));
          records.add(
              new StateRecord.Dedupe(
                  topic.name(), key, r.partition(), r.offset(), r.timestamp(), now));
        }
      }
      state.recordDedupe(records);
      waits.addAll(rounds);
    } finally {
      dedupe.lock.unlock();
    }
    await(waits);
    for (int i = 0; i < batch.size(); i++) {
      if (duplicateOf[i] >= 0) {
        receipts[i] = receipts[duplicateOf[i]].asDuplicate();
      }
    }
    return List.of(receipts);
  }

  /** Checks every message and picks each one's partition; writes nothing. */
  private static int[] plan(TopicLog t, List<OutgoingMessage> batch) {
    int[] target = new int[batch.size()];
    int unkeyedPartition = -1;
    long[] bytes = new long[t.partitionCount()];
    for (int i = 0; i < batch.size(); i++) {
      OutgoingMessage om = batch.get(i);
      if (om == null) {
        throw new InvalidMessageException("batch entry " + i + " is null; expected a message");
      }
      Validation.size(om.message(), t.config().maxMessageBytes());
      if (om.partition() != OutgoingMessage.ANY_PARTITION) {
        target[i] = t.partition(om.partition()).partition();
      } else if (om.message().key() != null) {
        target[i] = Partitioner.partition(om.message().key(), t.partitionCount());
      } else {
        if (unkeyedPartition < 0) {
          unkeyedPartition = t.nextUnkeyedPartition();
        }
        target[i] = unkeyedPartition;
      }
      bytes[target[i]] += BatchCodec.recordSize(om.message());
      if (bytes[target[i]] > BatchCodec.MAX_BATCH_BYTES - BatchCodec.HEADER_SIZE) {
        throw new MessageTooLargeException(
            "batch for one partition", bytes[target[i]], BatchCodec.MAX_BATCH_BYTES);
      }
    }
    return target;
  }

  /** Writes one batch per partition; returns the group-commit rounds to wait for. */
  private List<CompletableFuture<Void>> write(
      TopicLog topic,
      List<OutgoingMessage> batch,
      int[] target,
      boolean[] skip,
      Instant now,
      Receipt[] receipts) {
    List<CompletableFuture<Void>> rounds = new ArrayList<>(1);
    boolean single = skip == null;
    for (int i = 1; single && i < target.length; i++) {
      single = target[i] == target[0];
    }
    if (single && !batch.isEmpty()) {
      SegmentSet log = topic.partition(target[0]);
      List<Message> messages = new MessageView(batch);
      long base =
          committer == null
              ? log.append(messages, 0, messages.size(), now)
              : viaCommitter(log, messages, now);
      for (int i = 0; i < receipts.length; i++) {
        receipts[i] = receipt(log, base + i, messages.get(i), now);
      }
      if (committer == null) {
        request(log, rounds);
      }
      return rounds;
    }
    Map<Integer, List<Integer>> byPartition = new java.util.TreeMap<>();
    for (int i = 0; i < target.length; i++) {
      if (skip == null || !skip[i]) {
        byPartition.computeIfAbsent(target[i], p -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<Integer, List<Integer>> e : byPartition.entrySet()) {
      SegmentSet log = topic.partition(e.getKey());
      List<Message> messages = new ArrayList<>(e.getValue().size());
      for (int i : e.getValue()) {
        messages.add(batch.get(i).message());
      }
      long base = log.append(messages, 0, messages.size(), now);
      for (int j = 0; j < messages.size(); j++) {
        receipts[e.getValue().get(j)] = receipt(log, base + j, messages.get(j), now);
      }
      request(log, rounds);
    }
    return rounds;
  }

  /**
   * {@code SYNC}, unkeyed, one partition: the committer thread writes the batch with the others it
   * gathered and forces once; returns the base offset after that force.
   */
  private long viaCommitter(SegmentSet log, List<Message> messages, Instant now) {
    CompletableFuture<Long> base = log.enqueue(messages, 0, messages.size(), now);
    CompletableFuture<Void> round = committer.request(log);
    if (round.isCompletedExceptionally()) {
      committer.await(round); // the committer is closed: throws
    }
    // the round that forces the log writes the batch first, or fails it: the base completes by then
    return committer.await(base);
  }

  private void request(SegmentSet log, List<CompletableFuture<Void>> rounds) {
    if (committer != null) {
      CompletableFuture<Void> round = committer.request(log);
      if (!rounds.contains(round)) {
        rounds.add(round);
      }
    }
  }

  private static Receipt receipt(SegmentSet log, long offset, Message m, Instant now) {
    Instant ts = m.timestamp() == null ? now : m.timestamp();
    return new Receipt(log.topic(), log.partition(), offset, ts, false);
  }

  private void await(List<CompletableFuture<Void>> rounds) {
    for (CompletableFuture<Void> r : rounds) {
      committer.await(r);
    }
  }

  /** The messages of a batch, without copying. */
  private static final class MessageView extends AbstractList<Message> {
    private final List<OutgoingMessage> batch;

    MessageView(List<OutgoingMessage> batch) {
      this.batch = batch;
    }

    @Override
    public Message get(int index) {
      return batch.get(index).message();
    }

    @Override
    public int size() {
      return batch.size();
    }
  }
}
