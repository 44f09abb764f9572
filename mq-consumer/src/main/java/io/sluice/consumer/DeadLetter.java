package io.sluice.consumer;

import io.sluice.api.Message;
import java.time.Instant;

/**
 * One entry of a dead-letter topic, with its {@link DeadLetterHeaders} parsed.
 *
 * @param deadLetterTopic the dead-letter topic
 * @param partition the entry's partition in the dead-letter topic
 * @param offset the entry's offset there
 * @param message the entry as stored (original payload, key and headers, plus the dead-letter
 *     headers)
 * @param originalTopic the topic it came from, or null when the header is missing
 * @param originalPartition the partition it came from, or -1
 * @param originalOffset the offset it came from, or -1
 * @param group the group that dead-lettered it, or null
 * @param attempts deliveries made, or 0
 * @param errorClass the last exception class, or null
 * @param errorMessage the last exception message, or null
 * @param reason why it was dead-lettered, or null
 * @param firstFailureAt the first failure time, or null
 * @param lastFailureAt the last failure time, or null
 * @see io.sluice.consumer.admin.DeadLetterFilter
 */
public record DeadLetter(
    String deadLetterTopic,
    int partition,
    long offset,
    Message message,
    String originalTopic,
    int originalPartition,
    long originalOffset,
    String group,
    int attempts,
    String errorClass,
    String errorMessage,
    String reason,
    Instant firstFailureAt,
    Instant lastFailureAt) {

  /**
   * The entry's id in its dead-letter topic, {@code "partition:offset"} (for example {@code
   * "0:17"}), as {@link SluiceAdmin#deadLetter(String, String)}, {@link SluiceAdmin#redriveById}
   * and {@link SluiceAdmin#purgeById} take it.
   */
  public String id() {
    return partition + ":" + offset;
  }
}
