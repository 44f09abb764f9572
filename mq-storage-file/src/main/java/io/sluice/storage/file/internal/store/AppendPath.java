package io.sluice.storage.file.internal.store;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.error.MessageTooLargeException;
import io.sluice.api.internal.AppendPlan;
import io.sluice.spi.OutgoingMessage;
import io.sluice.storage.file.internal.io.GroupCommitter;
import io.sluice.storage.file.internal.log.BatchCodec;
import io.sluice.storage.file.internal.log.SegmentSet;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.GroupStateStore;
import io.sluice.storage.file.internal.state.ProducerKeys;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The append path: plan the whole call ({@link AppendPlan}: sizes, partitions, repeated keys; plus
 * the file format's limit on one partition's batch), dedupe idempotency keys, write one batch per
 * partition, then (under {@code SYNC}) wait for the group commit. Calls without idempotency keys
 * take no lock beyond their partitions' own.
 */
public final class AppendPath {
  private final GroupStateStore state;
  private final GroupCommitter committer;

  /** One partition's share of a call: the messages' indexes and their batch's encoded bytes. */
  private record Part(int partition, List<Integer> indexes, long bytes) {}

  /**
   * @param committer the group committer under {@code SYNC}, else null
   */
  public AppendPath(GroupStateStore state, GroupCommitter committer) {
    this.state = state;
    this.committer = committer;
  }

  /** See {@link io.sluice.spi.Storage#append}. */
  public List<Receipt> append(TopicLog topic, List<OutgoingMessage> batch, Instant now) {
    AppendPlan plan =
        AppendPlan.of(
            topic.name(),
            topic.config(),
            topic.partitionCount(),
            topic::nextUnkeyedPartition,
            batch);
    if (batch.isEmpty()) {
      return List.of();
    }
    if (plan.hasIdempotencyKeys()) {
      return appendKeyed(topic, batch, plan, now);
    }
    if (plan.singlePartition()) {
      return appendToOne(topic.partition(plan.partition(0)), batch, plan, now);
    }
    Receipt[] receipts = new Receipt[batch.size()];
    await(write(topic, batch, split(plan, batch, null), now, receipts));
    return List.of(receipts);
  }

  /** Unkeyed, one partition: one batch, written by the group committer under {@code SYNC}. */
  private List<Receipt> appendToOne(
      SegmentSet log, List<OutgoingMessage> batch, AppendPlan plan, Instant now) {
    long bytes = BatchCodec.HEADER_SIZE;
    for (int i = 0; i < batch.size(); i++) {
      bytes += recordSize(plan, batch, i);
    }
    checkBatch(bytes);
    List<Message> messages = new MessageView(batch);
    long base;
    if (committer == null) {
      base = log.append(messages, (int) bytes, now);
    } else {
      base = viaCommitter(log, messages, (int) bytes, now);
    }
    Receipt[] receipts = new Receipt[batch.size()];
    for (int i = 0; i < receipts.length; i++) {
      receipts[i] = receipt(log, base + i, messages.get(i), now);
    }
    return List.of(receipts);
  }

  private List<Receipt> appendKeyed(
      TopicLog topic, List<OutgoingMessage> batch, AppendPlan plan, Instant now) {
    ProducerKeys keys = state.producerKeys(topic.name());
    Receipt[] receipts = new Receipt[batch.size()];
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    keys.lock.lock();
    try {
      boolean[] skip = new boolean[batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        String key = batch.get(i).message().idempotencyKey();
        if (key == null) {
          continue;
        }
        ProducerKeys.Accepted earlier =
            plan.repeatOf(i) >= 0 ? null : keys.find(key, topic::partition);
        skip[i] = plan.repeatOf(i) >= 0 || earlier != null;
        if (earlier != null) {
          receipts[i] = earlier.receipt().asDuplicate();
          waits.add(earlier.durable());
        }
      }
      List<CompletableFuture<Void>> rounds =
          write(topic, batch, split(plan, batch, skip), now, receipts);
      CompletableFuture<Void> durable =
          rounds.isEmpty()
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new));
      for (int i = 0; i < batch.size(); i++) {
        String key = batch.get(i).message().idempotencyKey();
        if (key != null && !skip[i]) {
          keys.put(key, receipts[i], now, durable);
        }
      }
      waits.addAll(rounds);
    } finally {
      keys.lock.unlock();
    }
    await(waits);
    for (int i = 0; i < batch.size(); i++) {
      if (plan.repeatOf(i) >= 0) {
        receipts[i] = receipts[plan.repeatOf(i)].asDuplicate();
      }
    }
    return List.of(receipts);
  }

  /**
   * The call's messages by partition, in partition order, without those in {@code skip} (may be
   * null). Every partition's batch, skipped messages included, must fit the format's limit.
   */
  private static List<Part> split(AppendPlan plan, List<OutgoingMessage> batch, boolean[] skip) {
    Map<Integer, List<Integer>> byPartition = new TreeMap<>();
    Map<Integer, Long> all = new TreeMap<>();
    for (int i = 0; i < plan.size(); i++) {
      long size = recordSize(plan, batch, i);
      checkBatch(all.merge(plan.partition(i), BatchCodec.HEADER_SIZE + size, (a, b) -> a + size));
      if (skip == null || !skip[i]) {
        byPartition.computeIfAbsent(plan.partition(i), p -> new ArrayList<>()).add(i);
      }
    }
    List<Part> parts = new ArrayList<>(byPartition.size());
    byPartition.forEach(
        (p, indexes) -> {
          long bytes = BatchCodec.HEADER_SIZE;
          for (int i : indexes) {
            bytes += recordSize(plan, batch, i);
          }
          parts.add(new Part(p, indexes, bytes));
        });
    return parts;
  }

  private static long recordSize(AppendPlan plan, List<OutgoingMessage> batch, int i) {
    return BatchCodec.recordSize(plan.encodedSize(i), batch.get(i).message().headers().size());
  }

  private static void checkBatch(long bytes) {
    if (bytes > BatchCodec.MAX_BATCH_BYTES) {
      throw new MessageTooLargeException(
          "batch for one partition", bytes - BatchCodec.HEADER_SIZE, BatchCodec.MAX_BATCH_BYTES);
    }
  }

  /**
   * Writes one batch per part, each in the calling thread; returns the group-commit rounds to wait
   * for (none unless {@code SYNC}).
   */
  private List<CompletableFuture<Void>> write(
      TopicLog topic, List<OutgoingMessage> batch, List<Part> parts, Instant now, Receipt[] out) {
    List<CompletableFuture<Void>> rounds = new ArrayList<>(1);
    for (Part part : parts) {
      SegmentSet log = topic.partition(part.partition());
      List<Message> messages = new ArrayList<>(part.indexes().size());
      for (int i : part.indexes()) {
        messages.add(batch.get(i).message());
      }
      long base = log.append(messages, (int) part.bytes(), now);
      for (int j = 0; j < messages.size(); j++) {
        out[part.indexes().get(j)] = receipt(log, base + j, messages.get(j), now);
      }
      if (committer != null) {
        CompletableFuture<Void> round = committer.request(log);
        if (!rounds.contains(round)) {
          rounds.add(round);
        }
      }
    }
    return rounds;
  }

  /**
   * {@code SYNC}, unkeyed, one partition: the committer thread writes the batch with the others it
   * gathered and forces once; returns the base offset after that force.
   */
  private long viaCommitter(SegmentSet log, List<Message> messages, int bytes, Instant now) {
    CompletableFuture<Long> base = log.enqueue(messages, bytes, now);
    CompletableFuture<Void> round = committer.request(log);
    if (round.isCompletedExceptionally()) {
      committer.await(round); // the committer is closed: throws
    }
    // the round that forces the log writes the batch first, or fails it: the base completes by then
    return committer.await(base);
  }

  private static Receipt receipt(SegmentSet log, long offset, Message m, Instant now) {
    Instant ts = m.timestamp() == null ? now : m.timestamp();
    return new Receipt(log.topic(), log.partition(), offset, ts, false);
  }

  /** Waits for group-commit rounds (none but completed ones unless {@code SYNC}). */
  private void await(List<CompletableFuture<Void>> rounds) {
    for (CompletableFuture<Void> r : rounds) {
      if (committer == null) {
        r.join(); // OS, INTERVAL: an original is durable enough once written
      } else {
        committer.await(r);
      }
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
