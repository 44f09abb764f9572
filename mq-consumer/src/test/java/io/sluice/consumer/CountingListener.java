package io.sluice.consumer;

import io.sluice.api.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A listener that counts every hook, for assertions. */
final class CountingListener implements ConsumerListener {
  final AtomicLong delivered = new AtomicLong();
  final AtomicLong handled = new AtomicLong();
  final AtomicLong acked = new AtomicLong();
  final AtomicLong retried = new AtomicLong();
  final AtomicLong deferred = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong redriveSkipped = new AtomicLong();
  final AtomicLong released = new AtomicLong();
  final AtomicLong stale = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong lagReports = new AtomicLong();

  /** The last lag reported, by "group topic partition". */
  final java.util.Map<String, Long> lastLag = new java.util.concurrent.ConcurrentHashMap<>();

  final List<Duration> retryDelays = new CopyOnWriteArrayList<>();
  final List<Throwable> retryFailures = new CopyOnWriteArrayList<>();
  final List<String> deadLetterReasons = new CopyOnWriteArrayList<>();

  @Override
  public void onDelivered(Delivery d) {
    delivered.incrementAndGet();
  }

  @Override
  public void onHandled(Delivery d, Duration latency, Throwable failure) {
    handled.incrementAndGet();
  }

  @Override
  public void onAcked(Delivery d) {
    acked.incrementAndGet();
  }

  @Override
  public void onRetried(Delivery d, Duration delay, Throwable failure) {
    retryDelays.add(delay);
    if (failure != null) {
      retryFailures.add(failure);
    }
    retried.incrementAndGet();
  }

  @Override
  public void onDeferred(Delivery d, Duration delay) {
    deferred.incrementAndGet();
  }

  @Override
  public void onDeadLettered(Delivery d, String topic, String reason, Throwable failure) {
    deadLetterReasons.add(reason);
    deadLettered.incrementAndGet();
  }

  @Override
  public void onDuplicateSkipped(Delivery d) {
    duplicates.incrementAndGet();
  }

  @Override
  public void onRedriveSkipped(Delivery d) {
    redriveSkipped.incrementAndGet();
  }

  @Override
  public void onReleased(Delivery d) {
    released.incrementAndGet();
  }

  @Override
  public void onStaleAck(Delivery d) {
    stale.incrementAndGet();
  }

  @Override
  public void onLag(String group, String topic, int partition, long lag) {
    lastLag.put(group + " " + topic + " " + partition, lag);
    lagReports.incrementAndGet();
  }

  @Override
  public void onError(String group, Throwable error) {
    errors.incrementAndGet();
  }

  /** Settled outcomes, which must equal deliveries once everything is settled. */
  long settled() {
    return acked.get()
        + retried.get()
        + deferred.get()
        + deadLettered.get()
        + duplicates.get()
        + redriveSkipped.get()
        + released.get()
        + stale.get();
  }
}
