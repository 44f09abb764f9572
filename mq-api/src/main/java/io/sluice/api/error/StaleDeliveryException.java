package io.sluice.api.error;

/**
 * An ack, nack, extend or dead-letter named a lease that has expired, been re-granted to another
 * member, or already been settled. Nothing was applied: the message belongs to whoever holds the
 * current lease (fencing).
 */
public final class StaleDeliveryException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final transient Object delivery;

  public StaleDeliveryException(Object delivery, String reason) {
    super("stale delivery " + delivery + ": " + reason);
    this.delivery = delivery;
  }

  /** The rejected delivery id ({@code io.sluice.spi.DeliveryId}). */
  public Object delivery() {
    return delivery;
  }
}
