package io.sluice.consumer.internal;

import io.sluice.api.Delivery;
import io.sluice.api.MessageHandler;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.TransactionalHandler;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.InstantSource;

/**
 * What every delivery of one member shares: its configuration, the store, the clock, the listener,
 * the settler and the handler (exactly one of {@code handler}, {@code transactionalHandler} and
 * {@code batch} is set).
 *
 * @param timed whether the listener wants handler latencies ({@link ConsumerListener#onHandled});
 *     when it does not, the runtime does not read the clock per delivery to measure them
 * @param batch runs a batch handler, or null for a single-message handler
 * @param observations the process observations of handler runs (off by default)
 */
record MemberContext(
    GroupConfig config,
    Storage storage,
    InstantSource clock,
    ConsumerListener listener,
    Settler settler,
    MessageHandler handler,
    TransactionalHandler transactionalHandler,
    boolean timed,
    BatchRunner batch,
    Observations observations) {

  /**
   * Deliveries that may be started at once: {@code concurrency}, or {@code concurrency ×
   * maxBatchSize} with a batch handler (each batch holds one slot per delivery).
   */
  int slots() {
    return batch == null ? config.concurrency() : config.concurrency() * batch.maxSize();
  }

  String group() {
    return config.group();
  }

  /** Whether {@code listener} (or the listener it wraps) implements {@code onHandled}. */
  static boolean wantsLatencies(ConsumerListener listener) {
    ConsumerListener l = listener instanceof SafeListener s ? s.delegate() : listener;
    try {
      return l.getClass()
              .getMethod("onHandled", Delivery.class, Duration.class, Throwable.class)
              .getDeclaringClass()
          != ConsumerListener.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }
}
