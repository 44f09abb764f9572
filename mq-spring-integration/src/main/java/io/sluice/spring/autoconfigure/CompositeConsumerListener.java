package io.sluice.spring.autoconfigure;

import io.sluice.api.Delivery;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Forwards every hook to each of several listeners, in order. */
final class CompositeConsumerListener implements ConsumerListener {
  private final List<ConsumerListener> listeners;

  private CompositeConsumerListener(List<ConsumerListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** {@link ConsumerListener#NONE}, the only listener, or a composite of them. */
  static ConsumerListener of(List<ConsumerListener> listeners) {
    return switch (listeners.size()) {
      case 0 -> ConsumerListener.NONE;
      case 1 -> listeners.get(0);
      default -> new CompositeConsumerListener(listeners);
    };
  }

  @Override
  public ConsumerListener forMember(String listenerId, GroupConfig config) {
    return of(listeners.stream().map(l -> bound(l, listenerId, config)).toList());
  }

  private static ConsumerListener bound(ConsumerListener l, String listenerId, GroupConfig config) {
    ConsumerListener b = l.forMember(listenerId, config);
    return b != null ? b : l;
  }

  private void each(Consumer<ConsumerListener> call) {
    for (ConsumerListener l : listeners) {
      call.accept(l);
    }
  }

  @Override
  public void onDelivered(Delivery d) {
    each(l -> l.onDelivered(d));
  }

  @Override
  public void onHandled(Delivery d, Duration latency, Throwable failure) {
    each(l -> l.onHandled(d, latency, failure));
  }

  @Override
  public void onAcked(Delivery d) {
    each(l -> l.onAcked(d));
  }

  @Override
  public void onRetried(Delivery d, Duration delay, Throwable failure) {
    each(l -> l.onRetried(d, delay, failure));
  }

  @Override
  public void onDeferred(Delivery d, Duration delay) {
    each(l -> l.onDeferred(d, delay));
  }

  @Override
  public void onDeadLettered(Delivery d, String topic, String reason, Throwable failure) {
    each(l -> l.onDeadLettered(d, topic, reason, failure));
  }

  @Override
  public void onDuplicateSkipped(Delivery d) {
    each(l -> l.onDuplicateSkipped(d));
  }

  @Override
  public void onRedriveSkipped(Delivery d) {
    each(l -> l.onRedriveSkipped(d));
  }

  @Override
  public void onReleased(Delivery d) {
    each(l -> l.onReleased(d));
  }

  @Override
  public void onStaleAck(Delivery d) {
    each(l -> l.onStaleAck(d));
  }

  @Override
  public void onLag(String group, String topic, int partition, long lag) {
    each(l -> l.onLag(group, topic, partition, lag));
  }

  @Override
  public void onError(String group, Throwable error) {
    each(l -> l.onError(group, error));
  }
}
