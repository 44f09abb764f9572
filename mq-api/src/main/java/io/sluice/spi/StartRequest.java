package io.sluice.spi;

import io.sluice.api.internal.Validation;
import java.util.List;

/**
 * Records that handlers are about to run on deliveries; see {@link
 * Storage#markStarted(StartRequest)}.
 *
 * @param group the consumer group, a valid name
 * @param deliveries the leases whose handlers start; may be empty
 */
public record StartRequest(String group, List<DeliveryId> deliveries) {
  public StartRequest {
    Validation.group(group);
    deliveries = ExtendRequest.copy(deliveries);
  }
}
