package io.sluice.consumer.internal;

import io.sluice.api.Delivery;
import io.sluice.consumer.ConsumerListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a user's {@link ConsumerListener}, logging and swallowing whatever it throws. */
final class SafeListener implements ConsumerListener {
  private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

  private final ConsumerListener delegate;

  SafeListener(ConsumerListener delegate) {
    this.delegate = delegate;
  }

  /** The listener it guards. */
  ConsumerListener delegate() {
    return delegate;
  }

  private void guard(String hook, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("ConsumerListener.{} threw; ignored", hook, e);
    }
  }

  @Override
  public void onDelivered(Delivery d) {
    guard("onDelivered", () -> delegate.onDelivered(d));
  }

  @Override
  public void onHandled(Delivery d, Duration latency, Throwable failure) {
    guard("onHandled", () -> delegate.onHandled(d, latency, failure));
  }

  @Override
  public void onAcked(Delivery d) {
    guard("onAcked", () -> delegate.onAcked(d));
  }

  @Override
  public void onRetried(Delivery d, Duration delay, Throwable failure) {
    guard("onRetried", () -> delegate.onRetried(d, delay, failure));
  }

  @Override
  public void onDeferred(Delivery d, Duration delay) {
    guard("onDeferred", () -> delegate.onDeferred(d, delay));
  }

  @Override
  public void onDeadLettered(Delivery d, String topic, String reason, Throwable failure) {
    guard("onDeadLettered", () -> delegate.onDeadLettered(d, topic, reason, failure));
  }

  @Override
  public void onDuplicateSkipped(Delivery d) {
    guard("onDuplicateSkipped", () -> delegate.onDuplicateSkipped(d));
  }

  @Override
  public void onRedriveSkipped(Delivery d) {
    guard("onRedriveSkipped", () -> delegate.onRedriveSkipped(d));
  }

  @Override
  public void onReleased(Delivery d) {
    guard("onReleased", () -> delegate.onReleased(d));
  }

  @Override
  public void onStaleAck(Delivery d) {
    guard("onStaleAck", () -> delegate.onStaleAck(d));
  }

  @Override
  public void onLag(String group, String topic, int partition, long lag) {
    guard("onLag", () -> delegate.onLag(group, topic, partition, lag));
  }

  @Override
  public void onError(String group, Throwable error) {
    guard("onError", () -> delegate.onError(group, error));
  }
}
