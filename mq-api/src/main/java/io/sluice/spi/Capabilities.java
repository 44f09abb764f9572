package io.sluice.spi;

/**
 * What a backend can do beyond the common contract. The contract suite asserts the documented
 * behaviour for each value, so a missing capability is tested, never skipped.
 *
 * @param name a short backend name for logs and health ("file", "postgresql", "h2", "memory")
 * @param persistent state survives close and reopen
 * @param atomicMultiPartitionAppend an append spanning partitions is visible all at once or not at
 *     all; when false it is atomic per partition
 * @param atomicDeadLetter the dead-letter append and the ack commit together; when false the append
 *     comes first (a crash between may duplicate into the DLQ, never lose)
 * @param transactions {@link Storage#inTransaction} runs work in the same database transaction as
 *     the ack; when false it runs the work, then acks
 * @param crossProcessNotifications {@link Storage#watchAppends} also tells of appends committed by
 *     other processes sharing the store (PostgreSQL {@code LISTEN/NOTIFY}), so a consumer hears of
 *     new messages at once wherever they were sent, and its idle poll is only a fallback; when
 *     false, only appends made through this store object are told, and consumers in other processes
 *     find messages by polling
 */
public record Capabilities(
    String name,
    boolean persistent,
    boolean atomicMultiPartitionAppend,
    boolean atomicDeadLetter,
    boolean transactions,
    boolean crossProcessNotifications) {

  /** Capabilities without cross-process notifications. */
  public Capabilities(
      String name,
      boolean persistent,
      boolean atomicMultiPartitionAppend,
      boolean atomicDeadLetter,
      boolean transactions) {
    this(name, persistent, atomicMultiPartitionAppend, atomicDeadLetter, transactions, false);
  }
}
