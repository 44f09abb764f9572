package io.sluice.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of {@link SluiceObservation#PROCESS}; implement it (or extend {@link
 * DefaultSluiceProcessObservationConvention}) to change them.
 */
public interface SluiceProcessObservationConvention
    extends ObservationConvention<SluiceReceiverContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof SluiceReceiverContext;
  }

  @Override
  default String getName() {
    return "sluice.process";
  }
}
