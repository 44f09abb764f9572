package io.sluice.consumer.internal;

import io.sluice.api.Delivery;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a user's {@link ConsumerListener}, logging and swallowing whatever it throws (without
 * allocating per call: it runs several times per delivery).
 */
final class SafeListener implements ConsumerListener {
  private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

  private final ConsumerListener delegate;

  SafeListener(ConsumerListener delegate) {
    this.delegate = delegate;
  }

  /**
   * {@code listener}'s listener for one member ({@link ConsumerListener#forMember}), or {@code
   * listener} itself when that throws or returns null.
   */
  static ConsumerListener bind(ConsumerListener listener, String listenerId, GroupConfig config) {
    try {
      ConsumerListener bound = listener.forMember(listenerId, config);
      return bound != null ? bound : listener;
    } catch (RuntimeException e) {
      failed("forMember", e);
      return listener;
    }
  }

  /** The listener it guards. */
  ConsumerListener delegate() {
    return delegate;
  }

  private static void failed(String hook, RuntimeException e) {
    LOG.warn("ConsumerListener.{} threw; ignored", hook, e);
  }

  @Override
  public void onDelivered(Delivery d) {
    try {
      delegate.onDelivered(d);
    } catch (RuntimeException e) {
      failed("onDelivered", e);
    }
  }

  @Override
  public void onHandled(Delivery d, Duration latency, Throwable failure) {
    try {
      delegate.onHandled(d, latency, failure);
    } catch (RuntimeException e) {
      failed("onHandled", e);
    }
  }

  @Override
  public void onAcked(Delivery d) {
    try {
      delegate.onAcked(d);
    } catch (RuntimeException e) {
      failed("onAcked", e);
    }
  }

  @Override
  public void onRetried(Delivery d, Duration delay, Throwable failure) {
    try {
      delegate.onRetried(d, delay, failure);
    } catch (RuntimeException e) {
      failed("onRetried", e);
    }
  }

  @Override
  public void onDeferred(Delivery d, Duration delay) {
    try {
      delegate.onDeferred(d, delay);
    } catch (RuntimeException e) {
      failed("onDeferred", e);
    }
  }

  @Override
  public void onDeadLettered(Delivery d, String topic, String reason, Throwable failure) {
    try {
      delegate.onDeadLettered(d, topic, reason, failure);
    } catch (RuntimeException e) {
      failed("onDeadLettered", e);
    }
  }

  @Override
  public void onDuplicateSkipped(Delivery d) {
    try {
      delegate.onDuplicateSkipped(d);
    } catch (RuntimeException e) {
      failed("onDuplicateSkipped", e);
    }
  }

  @Override
  public void onRedriveSkipped(Delivery d) {
    try {
      delegate.onRedriveSkipped(d);
    } catch (RuntimeException e) {
      failed("onRedriveSkipped", e);
    }
  }

  @Override
  public void onReleased(Delivery d) {
    try {
      delegate.onReleased(d);
    } catch (RuntimeException e) {
      failed("onReleased", e);
    }
  }

  @Override
  public void onStaleAck(Delivery d) {
    try {
      delegate.onStaleAck(d);
    } catch (RuntimeException e) {
      failed("onStaleAck", e);
    }
  }

  @Override
  public void onLag(String group, String topic, int partition, long lag) {
    try {
      delegate.onLag(group, topic, partition, lag);
    } catch (RuntimeException e) {
      failed("onLag", e);
    }
  }

  @Override
  public void onError(String group, Throwable error) {
    try {
      delegate.onError(group, error);
    } catch (RuntimeException e) {
      failed("onError", e);
    }
  }
}
