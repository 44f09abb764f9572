package io.sluice.spi;

import io.sluice.api.Position;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import java.time.Duration;
import java.util.List;

/**
 * A storage backend: partitioned append-only logs plus, per consumer group and partition, a
 * committed offset and the set of in-flight messages. The consumer runtime is written against this
 * interface only. <b>Evolving: do not implement outside Sluice unless you will follow its
 * changes.</b> Backends extend {@link AbstractStorage}, which implements every operation once:
 * requests arrive validated (each operation takes a request record that checks its arguments when
 * built), a closed store refuses them, and append watchers are told after the change is visible.
 *
 * <h2>Common rules</h2>
 *
 * <ul>
 *   <li><b>Thread safety.</b> Every method may be called concurrently from any thread, and from
 *       several processes sharing one store where the backend allows that (JDBC).
 *   <li><b>Time.</b> Leases, visibility, retention and dedupe windows use the store's clock (an
 *       {@link java.time.InstantSource} given to the backend when it is built), never the caller's:
 *       callers pass durations (a lease, a retry delay), and the store turns them into instants.
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
 * done out of order. A message is <i>visible</i> to a group when it is at or above the committed
 * offset, not done, not under an unexpired lease, its next-visible time and {@code deliverAt} have
 * passed, the group is not paused for the topic ({@link #pause}), and (under {@link
 * io.sluice.api.Ordering#KEY_ORDERED}) no lower offset with the same key in the partition is not
 * yet done.
 *
 * <h2>Attempts</h2>
 *
 * An <i>attempt</i> is a handler run. A claim does not count one (unless it is asked to, for a
 * caller that starts every lease at once): {@link #markStarted} does, before the handler runs, or a
 * {@link #release} that reports a failed attempt of a lease not marked started. So messages a
 * member claimed (or prefetched) but never started, because it died or gave them back, are
 * delivered again with the same attempt number; only a message whose handler started and never
 * reported back has used up an attempt. {@link Lease#attempt()} is the attempts counted before the
 * grant plus one.
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
  List<Receipt> append(AppendRequest request);

  /** Shorthand for {@link #append(AppendRequest)}. */
  default List<Receipt> append(String topic, List<OutgoingMessage> batch) {
    return append(new AppendRequest(topic, batch));
  }

  /**
   * Reads up to {@code max} messages of one partition from {@code fromOffset}, in offset order,
   * regardless of any group. Reading at the end offset returns an empty list.
   *
   * @throws io.sluice.api.error.OffsetOutOfRangeException when {@code fromOffset} is negative,
   *     below the log start (removed by retention) or above the end offset
   * @throws io.sluice.api.error.InvalidPartitionException for a partition outside the topic
   * @throws io.sluice.api.error.StorageCorruptedException when stored data fails its checksum
   */
  List<StoredMessage> read(ReadRequest request);

  /** Shorthand for {@link #read(ReadRequest)}. */
  default List<StoredMessage> read(String topic, int partition, long fromOffset, int max) {
    return read(new ReadRequest(topic, partition, fromOffset, max));
  }

  /**
   * The offset a position names in one partition now: the log start for {@code EARLIEST}, the end
   * offset for {@code LATEST}, an explicit offset clamped to {@code [logStart, end]}, or the first
   * message whose timestamp is at or after a time (the end offset if none). Changes nothing; an
   * admin's dry run of a {@link #seek} uses it.
   *
   * @throws io.sluice.api.error.InvalidPartitionException for a partition outside the topic
   */
  long offsetFor(String topic, int partition, Position position);

  // ------------------------------------------------------------------------------------ consuming

  /**
   * Claims up to {@code maxMessages} visible messages of a topic for a group, leasing each until
   * now plus {@code request.lease()}. Messages of one partition come in offset order; partitions
   * are served fairly across calls.
   *
   * <ul>
   *   <li><b>Exclusive:</b> concurrent claims (threads, processes, hosts) never return a message
   *       while another unexpired lease on it exists, and on SQL never wait for each other.
   *   <li><b>Attempts:</b> a claim counts no attempt (see the class description); each lease
   *       carries the attempt number its handler run would be. A claim with {@code request.start()}
   *       counts that attempt for every lease it returns, as {@link #markStarted} would, in the
   *       same atomic step where the store has one: a lease is returned only once its attempt is
   *       counted, and a later {@code markStarted} of it counts nothing more.
   *   <li><b>Start:</b> a partition the group has never consumed starts at {@code
   *       request.startPosition()}; a committed offset below the log start (retention) moves to it.
   *   <li><b>Paused:</b> a group paused for the topic ({@link #pause}) gets an empty list, and the
   *       claim changes nothing: a group that never consumed a partition does not start there (its
   *       start position is resolved at its first claim after the resume).
   *   <li><b>Key order:</b> under {@code KEY_ORDERED} a key waiting for a retry or a delivery time
   *       holds back only that key's later messages; other keys keep flowing however many messages
   *       of the held key follow.
   *   <li>Returns an empty list when nothing is visible; never blocks waiting for messages.
   *   <li><b>Boundaries:</b> a lease is expired at its {@code expiresAt}; a message released until
   *       {@code T}, or with {@code deliverAt = T}, is visible at {@code T}.
   * </ul>
   */
  List<Lease> claim(ClaimRequest request);

  /**
   * Counts an attempt for each named lease, before its handler runs: from now on the message has
   * used up that attempt even if the process dies (so a message that crashes its consumer cannot
   * loop forever). Durable against a crash of the calling process before it returns. Ids naming an
   * expired, re-granted or settled lease are rejected and listed in the result; marking a lease
   * twice counts once.
   */
  BatchResult markStarted(StartRequest request);

  /**
   * Completes deliveries. Each ack whose id names the current, unexpired lease marks the message
   * done for the group (and records its processed key, if any); the committed offset then advances
   * over every contiguous done message. Acks may come in any order. The valid acks of one call are
   * applied atomically; those naming an expired, re-granted or already settled lease are rejected
   * and listed in the result, never applied (fencing). Acking twice rejects the second, and an ack
   * naming an unknown topic, partition or offset is listed as rejected rather than thrown.
   */
  BatchResult ack(AckRequest request);

  /** Shorthand for {@link #ack(AckRequest)}. */
  default BatchResult ack(String group, List<Ack> acks) {
    return ack(new AckRequest(group, acks));
  }

  /**
   * Ends a lease without completing the message: it becomes visible again once {@code
   * request.delay()} has passed on the store's clock (zero: at once). {@code countAttempt} says
   * whether the lease was a failed attempt (counted, if {@link #markStarted} did not already) or a
   * delivery handed back unprocessed (an attempt counted for this lease is taken back).
   *
   * @throws io.sluice.api.error.StaleDeliveryException if the lease is expired, re-granted or
   *     settled; nothing changes
   */
  void release(ReleaseRequest request);

  /**
   * Extends leases to now plus {@code extension}. Ids naming an expired, re-granted or settled
   * lease are rejected and listed in the result; the others are applied.
   */
  BatchResult extendLeases(ExtendRequest request);

  /** Shorthand for {@link #extendLeases(ExtendRequest)}. */
  default BatchResult extendLeases(String group, List<DeliveryId> deliveries, Duration extension) {
    return extendLeases(new ExtendRequest(group, deliveries, extension));
  }

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
   * Runs {@code work}, then applies the acks of {@code request} (a batch handler's deliveries, or
   * one). With {@link Capabilities#transactions} the work runs inside the database transaction that
   * also performs the acks (and the processed-key records), so its database effects and the acks
   * commit or roll back together; if any ack is stale the transaction rolls back and {@link
   * io.sluice.api.error.StaleDeliveryException} is thrown. Without the capability the work runs
   * first and the acks follow only if it returned normally; a stale ack then also throws {@link
   * io.sluice.api.error.StaleDeliveryException} (the work's effects stay, the other acks are
   * applied). An exception from the work passes through unchanged and nothing is acked.
   */
  <R, X extends Exception> R inTransaction(AckRequest request, TransactionalWork<R, X> work)
      throws X;

  /** Shorthand for {@link #inTransaction(AckRequest, TransactionalWork)} with one ack. */
  default <R, X extends Exception> R inTransaction(
      String group, Ack ack, TransactionalWork<R, X> work) throws X {
    return inTransaction(AckRequest.of(group, ack), work);
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
  long seek(SeekRequest request);

  /** Shorthand for {@link #seek(SeekRequest)}. */
  default long seek(String group, String topic, int partition, Position position) {
    return seek(new SeekRequest(group, topic, partition, position));
  }

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

  /**
   * Pauses or resumes a group, for one topic or for all of them. The state is persistent (it
   * survives restarts, and on a shared database every process sees it) and is obeyed by the store:
   * while paused, {@link #claim} returns nothing for that group and topic, so every member stops
   * within one poll. Leases already granted run their course. Pausing the whole group ({@code topic
   * == null}) applies to every topic; resuming the whole group clears the group-wide pause and
   * every per-topic pause of the group; resuming one topic clears that topic's pause only.
   * Idempotent. The topic need not exist.
   */
  void pause(PauseRequest request);

  /**
   * Whether claims of the group on the topic are paused, by a group-wide or a per-topic pause; with
   * {@code topic == null}, whether the group-wide pause is set.
   */
  boolean isPaused(String group, String topic);

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
   * listener} once the change is visible to claims. Backends that can (PostgreSQL) also tell of
   * appends committed by other processes. Notifications are hints: they may be coalesced or
   * spurious, and some appends may go unnoticed, so a consumer must still poll. The listener must
   * return quickly and must not call back into the store. The topic need not exist yet.
   *
   * @return a registration to close when done
   * @throws io.sluice.api.error.InvalidNameException for an invalid topic name
   */
  AppendWatch watchAppends(String topic, Runnable listener);

  // ---------------------------------------------------------------------------------------- status

  /** What this backend can do beyond the common contract. */
  Capabilities capabilities();

  /** Whether the store can serve requests; never throws. */
  StorageHealth health();

  /** Stops background work and releases files, locks and pools. Idempotent. */
  @Override
  void close();
}
