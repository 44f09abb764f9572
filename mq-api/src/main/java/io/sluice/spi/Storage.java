package io.sluice.spi;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A storage backend: partitioned append-only logs plus, per consumer group and partition, a
 * committed offset and the set of in-flight messages. The consumer runtime is written against this
 * interface only. <b>Evolving: do not implement outside Sluice unless you will follow its
 * changes.</b>
 *
 * <h2>Common rules</h2>
 *
 * <ul>
 *   <li><b>Thread safety.</b> Every method may be called concurrently from any thread, and from
 *       several processes sharing one store where the backend allows that (JDBC).
 *   <li><b>Time.</b> Leases, visibility, retention and dedupe windows use the store's clock (an
 *       {@link java.time.InstantSource} given to the backend when it is built), never the caller's.
 *   <li><b>Bad input</b> raises an {@link io.sluice.api.error.InvalidRequestException} subclass,
 *       {@link io.sluice.api.error.TopicNotFoundException} for an unknown topic, and changes
 *       nothing.
 *   <li><b>Failures</b> of the store itself raise a {@link io.sluice.api.error.StorageException}
 *       subclass; {@code IOException} and {@code SQLException} never escape unwrapped.
 *   <li><b>After {@link #close()}</b> every method throws {@link
 *       io.sluice.api.error.StorageClosedException}.
 * </ul>
 *
 * <h2>Group state</h2>
 *
 * For each (group, topic, partition): a <i>committed offset</i> below which every message is done,
 * and above it the messages that are leased, waiting for a retry (with a next-visible time), or
 * done out of order. A message's <i>attempt</i> count grows by one each time it is claimed. A
 * message is <i>visible</i> to a group when it is at or above the committed offset, not done, not
 * under an unexpired lease, its next-visible time and {@code deliverAt} have passed, and (under
 * {@link io.sluice.api.Ordering#KEY_ORDERED}) no lower offset with the same key in the partition is
 * not yet done.
 */
@Evolving
public interface Storage extends AutoCloseable {

  // ---------------------------------------------------------------------------------------- topics

  /**
   * Creates a topic. Idempotent: creating an existing topic with an equal configuration returns its
   * info; a different configuration raises {@link io.sluice.api.error.TopicExistsException}.
   * Concurrent creations of one topic: one creates it, the others see it as existing.
   *
   * @throws io.sluice.api.error.InvalidNameException for an invalid name
   */
  TopicInfo createTopic(String topic, TopicConfig config);

  /**
   * Raises a topic's partition count. New partitions start empty at offset 0. Keys may map to other
   * partitions afterwards. Idempotent for the current count.
   *
   * @throws io.sluice.api.error.InvalidConfigException when {@code partitions} is below the current
   *     count (partitions never shrink) or above the maximum
   */
  TopicInfo growPartitions(String topic, int partitions);

  /**
   * The topic's configuration and each partition's retained range.
   *
   * @throws io.sluice.api.error.TopicNotFoundException if it does not exist
   */
  TopicInfo describeTopic(String topic);

  /** Every topic, sorted by name in Java {@code String} order (on SQL: {@code COLLATE "C"}). */
  List<TopicInfo> listTopics();

  // --------------------------------------------------------------------------------------- produce

  /**
   * Appends a batch to a topic and returns one receipt per message, in the batch's order.
   *
   * <ul>
   *   <li><b>Validation first:</b> every message is checked (payload, strings, size against the
   *       topic's {@code maxMessageBytes}, partition) before anything is written; one bad message
   *       rejects the batch and nothing is appended.
   *   <li><b>Partitioning:</b> {@link OutgoingMessage#ANY_PARTITION} with a key goes to {@link
   *       io.sluice.api.Partitioner#partition}; without a key the store spreads messages evenly
   *       (all unkeyed messages of one call go to one partition).
   *   <li><b>Offsets:</b> dense per partition; the messages of one call that land in one partition
   *       get consecutive offsets in batch order.
   *   <li><b>Atomicity:</b> the messages of one call in one partition become visible together or
   *       not at all; across partitions only when {@link Capabilities#atomicMultiPartitionAppend}.
   *   <li><b>Durability:</b> returns only when the batch is as durable as the backend's policy
   *       promises; readers and claims never see a message before that point.
   *   <li><b>Dedupe:</b> a message whose idempotency key was accepted on this topic within the
   *       topic's dedupe window is not appended again; its receipt is the original one with {@code
   *       duplicate = true}. Within one call, a repeated key gets the first one's receipt. A
   *       duplicate does not extend the window: it runs from the original append.
   *   <li><b>Timestamps:</b> a message without one gets the store clock's time.
   * </ul>
   *
   * Retrying a failed call with the same idempotency keys appends each message at most once.
   *
   * @throws io.sluice.api.error.TopicNotFoundException for an unknown topic
   * @throws io.sluice.api.error.MessageTooLargeException for an oversize message
   * @throws io.sluice.api.error.InvalidPartitionException for a partition outside the topic
   * @throws io.sluice.api.error.StorageFailedException after an I/O error (fail-stop)
   */
  List<Receipt> append(String topic, List<OutgoingMessage> batch);

  /**
   * Reads up to {@code max} messages of one partition from {@code fromOffset}, in offset order,
   * regardless of any group. Reading at the end offset returns an empty list.
   *
   * @throws io.sluice.api.error.InvalidConfigException when {@code max} is below 1
   * @throws io.sluice.api.error.OffsetOutOfRangeException when {@code fromOffset} is negative,
   *     below the log start (removed by retention) or above the end offset
   * @throws io.sluice.api.error.InvalidPartitionException for a partition outside the topic
   * @throws io.sluice.api.error.StorageCorruptedException when stored data fails its checksum
   */
  List<StoredMessage> read(String topic, int partition, long fromOffset, int max);

  // ------------------------------------------------------------------------------------ consuming

  /**
   * Claims up to {@code maxMessages} visible messages of a topic for a group, leasing each until
   * now plus {@code request.lease()}. Messages of one partition come in offset order; partitions
   * are served fairly across calls.
   *
   * <ul>
   *   <li><b>Exclusive:</b> concurrent claims (threads, processes, hosts) never return a message
   *       while another unexpired lease on it exists, and on SQL never wait for each other.
   *   <li><b>Attempts:</b> each returned lease has the message's attempt count, incremented by this
   *       claim; an expired lease's message is visible again and its next claim counts an attempt.
   *   <li><b>Start:</b> a partition the group has never consumed starts at {@code
   *       request.startPosition()}; a committed offset below the log start (retention) moves to it.
   *   <li>Returns an empty list when nothing is visible; never blocks waiting for messages.
   *   <li><b>Boundaries:</b> a lease is expired at its {@code expiresAt}; a message released until
   *       {@code T}, or with {@code deliverAt = T}, is visible at {@code T}.
   * </ul>
   */
  List<Lease> claim(ClaimRequest request);

  /**
   * Completes deliveries. Each ack whose id names the current, unexpired lease marks the message
   * done for the group (and records its processed key, if any); the committed offset then advances
   * over every contiguous done message. Acks may come in any order. The valid acks of one call are
   * applied atomically; those naming an expired, re-granted or already settled lease are rejected
   * and listed in the result, never applied (fencing). Acking twice rejects the second, and an ack
   * naming an unknown topic, partition or offset is listed as rejected rather than thrown.
   */
  BatchResult ack(String group, List<Ack> acks);

  /**
   * Ends a lease without completing the message: it becomes visible again at {@code nextVisibleAt}
   * (now or earlier means at once; {@code null} is rejected with {@link
   * io.sluice.api.error.InvalidConfigException}). With {@code countAttempt == false} the attempt
   * counted by the claim is taken back (a delivery returned unprocessed, for example at shutdown).
   *
   * @throws io.sluice.api.error.StaleDeliveryException if the lease is expired, re-granted or
   *     settled; nothing changes
   */
  void release(String group, DeliveryId delivery, Instant nextVisibleAt, boolean countAttempt);

  /**
   * Extends leases to now plus {@code extension}. Ids naming an expired, re-granted or settled
   * lease are rejected and listed in the result; the others are applied.
   *
   * @throws io.sluice.api.error.InvalidConfigException if the extension is not positive
   */
  BatchResult extendLeases(String group, List<DeliveryId> deliveries, Duration extension);

  /**
   * Appends {@code request.message()} to the dead-letter topic (created with one partition if it
   * does not exist) and acks the delivery. Atomic when {@link Capabilities#atomicDeadLetter};
   * otherwise the append happens first, so a crash can duplicate into the dead-letter topic but
   * never lose the message.
   *
   * @throws io.sluice.api.error.StaleDeliveryException if the lease is not current; nothing is
   *     appended
   */
  Receipt deadLetter(DeadLetterRequest request);

  /**
   * Runs {@code work}, then acks. With {@link Capabilities#transactions} the work runs inside the
   * database transaction that also performs the ack (and the processed-key record), so its database
   * effects and the ack commit or roll back together; if the ack is stale the transaction rolls
   * back and {@link io.sluice.api.error.StaleDeliveryException} is thrown. Without the capability
   * the work runs first and the ack follows only if it returned normally; a stale ack then also
   * throws {@link io.sluice.api.error.StaleDeliveryException} (the work's effects stay). An
   * exception from the work passes through unchanged and nothing is acked. The default
   * implementation is that of a backend without transactions; transactional backends override it.
   */
  default <R, X extends Exception> R inTransaction(
      String group, Ack ack, TransactionalWork<R, X> work) throws X {
    io.sluice.api.internal.Validation.group(group);
    io.sluice.api.internal.Validation.required("ack", ack);
    io.sluice.api.internal.Validation.required("work", work);
    ack(group, List.of()); // fails fast on a closed store, before the work runs
    R result = work.run(TransactionContext.none());
    BatchResult done = ack(group, List.of(ack));
    if (!done.rejected().isEmpty()) {
      throw new io.sluice.api.error.StaleDeliveryException(
          ack.delivery(), "the work ran, but its lease is expired, re-granted or settled");
    }
    return result;
  }

  // --------------------------------------------------------------------------------------- offsets

  /**
   * Moves a group's committed offset in one partition and forgets the group's per-message state
   * there (in-flight leases become stale, done and retry marks and attempt counts are cleared).
   * Replays from an earlier offset, or skips ahead. Returns the new committed offset.
   *
   * @throws io.sluice.api.error.OffsetOutOfRangeException for an explicit offset outside {@code
   *     [logStart, end]}
   */
  long seek(String group, String topic, int partition, Position position);

  /**
   * The group's progress in each partition of the topic, sorted by partition. A partition the group
   * has never consumed reports the position it would start at (the log start).
   */
  List<GroupPartition> groupState(String group, String topic);

  /** The groups that have consumed from the topic, sorted by name in Java {@code String} order. */
  List<String> listGroups(String topic);

  /**
   * Whether the group has acked a message with this processed key within the topic's dedupe window.
   */
  boolean isProcessed(String group, String topic, String processedKey);

  // ------------------------------------------------------------------------------------- retention

  /**
   * Applies every topic's retention now and expires dedupe and processed keys older than their
   * window. Whole segments or row ranges are removed; offsets are never reused. Messages a group
   * has not committed past are kept when the topic has {@code retainUntilConsumed}. Returns the
   * number of messages removed. Backends also run this on a schedule of their own; never on the
   * send path.
   */
  long enforceRetention();

  // -------------------------------------------------------------------------------- notifications

  /**
   * Asks to be told when messages become claimable in {@code topic}, so a consumer can claim at
   * once instead of waiting for its next poll. After an {@link #append}, a {@link #deadLetter} or a
   * {@link #release} visible at once, made through this store object, the store runs {@code
   * listener} on the calling thread once the change is visible to claims and before the call
   * returns. Notifications are hints: they may be coalesced or spurious, and appends made by other
   * processes may go unnoticed, so a consumer must still poll. The listener must return quickly and
   * must not call back into the store. The topic need not exist yet.
   *
   * @return a registration to close when done, or {@link AppendWatch#NONE} when this store cannot
   *     notify (the default)
   * @throws io.sluice.api.error.InvalidNameException for an invalid topic name
   */
  default AppendWatch watchAppends(String topic, Runnable listener) {
    io.sluice.api.internal.Validation.topic(topic);
    io.sluice.api.internal.Validation.required("listener", listener);
    return AppendWatch.NONE;
  }

  // ---------------------------------------------------------------------------------------- status

  /** What this backend can do beyond the common contract. */
  Capabilities capabilities();

  /** Whether the store can serve requests; never throws. */
  StorageHealth health();

  /** Stops background work and releases files, locks and pools. Idempotent. */
  @Override
  void close();
}
