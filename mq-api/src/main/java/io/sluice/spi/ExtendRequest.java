package io.sluice.spi;

import io.sluice.api.internal.Validation;
import java.time.Duration;
import java.util.List;

/**
 * Extends leases of one group; see {@link Storage#extendLeases(ExtendRequest)}.
 *
 * @param group the consumer group, a valid name
 * @param deliveries the leases to extend; may be empty
 * @param extension the new lease length, from now on the store's clock; positive
 */
public record ExtendRequest(String group, List<DeliveryId> deliveries, Duration extension) {
  public ExtendRequest {
    Validation.group(group);
    deliveries = copy(deliveries);
    Validation.positive("extension", extension);
  }

  static List<DeliveryId> copy(List<DeliveryId> deliveries) {
    Validation.required("deliveries", deliveries);
    for (DeliveryId d : deliveries) {
      Validation.required("delivery", d);
    }
    return List.copyOf(deliveries);
  }
}
