package io.sluice.spi;

/**
 * One acknowledgement: the delivery is done, and if {@code processedKey} is set it is recorded as
 * processed by the group, in the same atomic step.
 *
 * @param delivery the lease being completed
 * @param processedKey an idempotency key to remember for the group (see {@link
 *     Storage#isProcessed}), or null
 */
public record Ack(DeliveryId delivery, String processedKey) {
  public Ack {
    io.sluice.api.internal.Validation.required("delivery", delivery);
    if (processedKey != null) {
      io.sluice.api.internal.Validation.idempotencyKey(processedKey);
    }
  }

  public static Ack of(DeliveryId delivery) {
    return new Ack(delivery, null);
  }
}
