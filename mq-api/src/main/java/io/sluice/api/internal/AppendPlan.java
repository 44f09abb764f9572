package io.sluice.api.internal;

import io.sluice.api.Message;
import io.sluice.api.Partitioner;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.MessageTooLargeException;
import io.sluice.spi.OutgoingMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The part of an append every backend does the same way, done once per call before anything is
 * written: each message's size checked against the topic's {@code maxMessageBytes} (the encoded
 * size computed once per message and kept for the backend), each message's partition (an explicit
 * one checked against the partition count, a key through {@link Partitioner}, the unkeyed messages
 * of one call all to the one partition the chooser names), and the idempotency keys that repeat
 * within the call. One bad message rejects the whole call and nothing is chosen: the chooser is
 * asked only once every message passed. The topic name is not checked here: the request record did
 * that.
 *
 * <pre>{@code
 * AppendPlan plan = AppendPlan.of(topic, config, partitions, rotation::next, request.messages());
 * for (int i = 0; i < plan.size(); i++) {
 *   if (plan.repeatOf(i) >= 0) continue;  // same receipt as message repeatOf(i)
 *   write(plan.partition(i), batch.get(i), plan.encodedSize(i));
 * }
 * }</pre>
 */
public final class AppendPlan {
  private final int[] partitions;
  private final long[] sizes;
  private final int[] repeats;
  private final boolean keyed;
  private final boolean single;

  private AppendPlan(int[] partitions, long[] sizes, int[] repeats, boolean keyed) {
    this.partitions = partitions;
    this.sizes = sizes;
    this.repeats = repeats;
    this.keyed = keyed;
    boolean one = true;
    for (int i = 1; one && i < partitions.length; i++) {
      one = partitions[i] == partitions[0];
    }
    this.single = one;
  }

  /**
   * Plans one append call.
   *
   * @param topic the topic's name (for error messages only)
   * @param config the topic's configuration ({@code maxMessageBytes})
   * @param partitionCount the topic's partition count now
   * @param unkeyedPartition names the partition of the call's unkeyed messages; asked at most once,
   *     and only if the call has a message without key and without an explicit partition
   * @param batch the messages, none null (as {@link io.sluice.spi.AppendRequest} guarantees)
   * @throws MessageTooLargeException for a message over {@code maxMessageBytes}
   * @throws InvalidPartitionException for an explicit partition outside the topic
   */
  public static AppendPlan of(
      String topic,
      TopicConfig config,
      int partitionCount,
      IntSupplier unkeyedPartition,
      List<OutgoingMessage> batch) {
    int n = batch.size();
    int[] partitions = new int[n];
    long[] sizes = new long[n];
    int[] repeats = null;
    Map<String, Integer> firstOfKey = null;
    boolean unkeyed = false;
    for (int i = 0; i < n; i++) {
      OutgoingMessage om = batch.get(i);
      Message m = om.message();
      long size = Validation.encodedSize(m);
      if (size > config.maxMessageBytes()) {
        throw new MessageTooLargeException("message", size, config.maxMessageBytes());
      }
      sizes[i] = size;
      if (om.partition() != OutgoingMessage.ANY_PARTITION) {
        if (om.partition() >= partitionCount) {
          throw new InvalidPartitionException(topic, om.partition(), partitionCount);
        }
        partitions[i] = om.partition();
      } else if (m.key() != null) {
        partitions[i] = Partitioner.partition(m.key(), partitionCount);
      } else {
        partitions[i] = -1;
        unkeyed = true;
      }
      if (m.idempotencyKey() != null) {
        if (firstOfKey == null) {
          firstOfKey = new HashMap<>();
          repeats = new int[n];
          java.util.Arrays.fill(repeats, -1);
        }
        Integer first = firstOfKey.putIfAbsent(m.idempotencyKey(), i);
        repeats[i] = first == null ? -1 : first;
      }
    }
    if (unkeyed) {
      int p = unkeyedPartition.getAsInt();
      for (int i = 0; i < n; i++) {
        partitions[i] = partitions[i] < 0 ? p : partitions[i];
      }
    }
    return new AppendPlan(partitions, sizes, repeats, firstOfKey != null);
  }

  /** How many messages the call has. */
  public int size() {
    return partitions.length;
  }

  /** The partition of message {@code i}. */
  public int partition(int i) {
    return partitions[i];
  }

  /**
   * The size of message {@code i} as it counts against {@code maxMessageBytes} ({@link
   * Validation#encodedSize}).
   */
  public long encodedSize(int i) {
    return sizes[i];
  }

  /**
   * The index of an earlier message of this call with the same idempotency key, or -1 (message
   * {@code i} has no key, or is the first with it). A repeat is not appended: it gets the first
   * one's receipt, marked duplicate.
   */
  public int repeatOf(int i) {
    return repeats == null ? -1 : repeats[i];
  }

  /** Whether any message of the call has an idempotency key. */
  public boolean hasIdempotencyKeys() {
    return keyed;
  }

  /** Whether every message goes to one partition (true for an empty call). */
  public boolean singlePartition() {
    return single;
  }
}
