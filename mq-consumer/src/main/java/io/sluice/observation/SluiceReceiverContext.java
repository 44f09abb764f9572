package io.sluice.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.sluice.api.Delivery;

/**
 * The context of a {@link SluiceObservation#PROCESS} observation: the delivery (whose message
 * headers are the carrier a propagating handler reads, for example {@code traceparent}; the last
 * value of a repeated header wins) and the listener id.
 */
public final class SluiceReceiverContext extends ReceiverContext<Delivery> {
  private final String listenerId;

  /** A context for handling {@code delivery} in the listener {@code listenerId}. */
  public SluiceReceiverContext(Delivery delivery, String listenerId) {
    super((d, key) -> d.message().headers().lastValue(key).orElse(null), Kind.CONSUMER);
    this.listenerId = listenerId;
    super.setCarrier(delivery);
    super.setRemoteServiceName("sluice");
  }

  /** The delivery being handled. */
  public Delivery delivery() {
    return getCarrier();
  }

  /** The listener id: the Spring listener's id, else the consumer group name. */
  public String listenerId() {
    return listenerId;
  }
}
