package io.sluice.api.error;

/**
 * The root of every exception Sluice throws. It is unchecked: catch the specific subclass you can
 * act on, or this type to catch them all.
 *
 * <pre>
 * SluiceException
 * ├── InvalidRequestException        bad input; nothing was changed
 * │   ├── InvalidNameException        topic or group name outside the allowed alphabet/length
 * │   ├── InvalidMessageException     null payload, bad header, unencodable string, bad deliverAt
 * │   ├── MessageTooLargeException    encoded size above the topic's limit
 * │   ├── InvalidConfigException      bad TopicConfig, Backoff, lease, delay, ...
 * │   ├── InvalidPartitionException   partition outside [0, partitions)
 * │   └── OffsetOutOfRangeException   offset below the log start or past the end
 * ├── TopicNotFoundException
 * ├── TopicExistsException            created again with a different configuration
 * ├── StaleDeliveryException          ack/nack/extend of an expired or re-granted lease (fencing)
 * ├── UnsupportedCapabilityException  the backend cannot do this (e.g. transactions on files)
 * └── StorageException                the store itself
 *     ├── StorageLockedException       another process holds the store directory
 *     ├── StorageCorruptedException    a checksum failed (file and position)
 *     ├── StorageFailedException       an I/O error stopped the store; reopen to recover
 *     ├── StorageClosedException       used after close()
 *     └── BackendUnavailableException  the database cannot be reached
 * </pre>
 */
public abstract class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected SluiceException(String message) {
    super(message);
  }

  protected SluiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
