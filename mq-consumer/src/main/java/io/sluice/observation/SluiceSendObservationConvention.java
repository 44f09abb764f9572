package io.sluice.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of {@link SluiceObservation#SEND}; implement it (or extend {@link
 * DefaultSluiceSendObservationConvention}) to change them.
 */
public interface SluiceSendObservationConvention
    extends ObservationConvention<SluiceSenderContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof SluiceSenderContext;
  }

  @Override
  default String getName() {
    return "sluice.send";
  }
}
