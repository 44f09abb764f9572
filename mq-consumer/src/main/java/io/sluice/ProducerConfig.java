package io.sluice;

import io.sluice.api.Backoff;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import java.time.Duration;

/**
 * How a producer batches, buffers and retries.
 *
 * <ul>
 *   <li>Async sends to one topic wait up to {@code linger} (or until {@code maxBatchMessages} are
 *       waiting) and go to the store as one append. Synchronous sends join the same batches but
 *       never wait for the linger: a batch holding one goes at once. Sends made while an append is
 *       under way coalesce into the next one either way.
 *   <li>At most {@code maxBufferedBytes} of payload may wait for the store; a send beyond that
 *       blocks the caller (backpressure) up to {@code maxBlock}, then fails with {@link
 *       ProducerBufferFullException}.
 *   <li>An append that fails with {@link io.sluice.api.error.BackendUnavailableException} is
 *       retried up to {@code retries} times after {@code retryBackoff} delays; messages carry the
 *       same idempotency key on every try, so the store appends each at most once. Other errors
 *       fail the send at once.
 * </ul>
 *
 * @param linger how long a batch of async sends waits for more, zero to 1 s (default 1 ms)
 * @param maxBatchMessages the most messages in one append, 1 to 10,000 (default 1,000)
 * @param maxBufferedBytes the most payload bytes waiting, at least 1 (default 32 MiB)
 * @param maxBlock how long a send may block on a full buffer (default 60 s)
 * @param retries retries of a transient failure, 0 or more (default 5)
 * @param retryBackoff delay before each retry (default 50 ms, ×2, max 2 s, jitter 0.2)
 */
public record ProducerConfig(
    Duration linger,
    int maxBatchMessages,
    long maxBufferedBytes,
    Duration maxBlock,
    int retries,
    Backoff retryBackoff) {

  /** The defaults listed above. */
  public static final ProducerConfig DEFAULT =
      new ProducerConfig(
          Duration.ofMillis(1),
          1_000,
          32L << 20,
          Duration.ofSeconds(60),
          5,
          new Backoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2), 0.2));

  /** Validates every field. */
  public ProducerConfig {
    Validation.nonNegative("linger", linger);
    if (linger.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new InvalidConfigException("linger must be at most 1 s, found " + linger);
    }
    if (maxBatchMessages < 1 || maxBatchMessages > 10_000) {
      throw new InvalidConfigException(
          "maxBatchMessages must be 1 to 10000, found " + maxBatchMessages);
    }
    if (maxBufferedBytes < 1) {
      throw new InvalidConfigException(
          "maxBufferedBytes must be positive, found " + maxBufferedBytes);
    }
    Validation.nonNegative("maxBlock", maxBlock);
    if (retries < 0) {
      throw new InvalidConfigException("retries must be 0 or more, found " + retries);
    }
    Validation.required("retryBackoff", retryBackoff);
  }

  /** This configuration with another linger. */
  public ProducerConfig withLinger(Duration linger) {
    return new ProducerConfig(
        linger, maxBatchMessages, maxBufferedBytes, maxBlock, retries, retryBackoff);
  }

  /** This configuration with another batch size. */
  public ProducerConfig withMaxBatchMessages(int max) {
    return new ProducerConfig(linger, max, maxBufferedBytes, maxBlock, retries, retryBackoff);
  }

  /** This configuration with another buffer bound. */
  public ProducerConfig withMaxBufferedBytes(long bytes) {
    return new ProducerConfig(linger, maxBatchMessages, bytes, maxBlock, retries, retryBackoff);
  }

  /** This configuration with another blocking bound. */
  public ProducerConfig withMaxBlock(Duration maxBlock) {
    return new ProducerConfig(
        linger, maxBatchMessages, maxBufferedBytes, maxBlock, retries, retryBackoff);
  }

  /** This configuration with other retries. */
  public ProducerConfig withRetries(int retries, Backoff backoff) {
    return new ProducerConfig(
        linger, maxBatchMessages, maxBufferedBytes, maxBlock, retries, backoff);
  }
}
