package io.sluice.spi;

import io.sluice.api.internal.Validation;
import java.util.List;

/**
 * Completes deliveries of one group; see {@link Storage#ack(AckRequest)} and {@link
 * Storage#inTransaction(AckRequest, TransactionalWork)}.
 *
 * @param group the consumer group, a valid name
 * @param acks the acknowledgements, any topics and partitions, in any order; may be empty
 */
public record AckRequest(String group, List<Ack> acks) {
  public AckRequest {
    Validation.group(group);
    Validation.required("acks", acks);
    for (Ack a : acks) {
      Validation.required("ack", a);
    }
    acks = List.copyOf(acks);
  }

  /** One acknowledgement. */
  public static AckRequest of(String group, Ack ack) {
    return new AckRequest(group, List.of(Validation.required("ack", ack)));
  }
}
