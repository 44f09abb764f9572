package io.sluice.observation;

import io.micrometer.common.KeyValues;
import io.sluice.api.Receipt;
import io.sluice.observation.SluiceObservation.HighCardinalityKeys;
import io.sluice.observation.SluiceObservation.LowCardinalityKeys;

/**
 * The default {@link SluiceSendObservationConvention}: name {@code sluice.send}, contextual name
 * {@code <topic> send}, the keys listed in {@link SluiceObservation}.
 */
public class DefaultSluiceSendObservationConvention implements SluiceSendObservationConvention {

  /** A shared instance. */
  public static final DefaultSluiceSendObservationConvention INSTANCE =
      new DefaultSluiceSendObservationConvention();

  /** For subclasses; use {@link #INSTANCE} otherwise. */
  public DefaultSluiceSendObservationConvention() {}

  @Override
  public String getContextualName(SluiceSenderContext context) {
    return context.topic() + " send";
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(SluiceSenderContext context) {
    return KeyValues.of(
        LowCardinalityKeys.MESSAGING_SYSTEM.withValue("sluice"),
        LowCardinalityKeys.MESSAGING_OPERATION.withValue("publish"),
        LowCardinalityKeys.DESTINATION_NAME.withValue(context.topic()));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(SluiceSenderContext context) {
    Receipt r = context.receipt();
    if (r == null) {
      return KeyValues.empty();
    }
    return KeyValues.of(
        HighCardinalityKeys.PARTITION.withValue(Integer.toString(r.partition())),
        HighCardinalityKeys.MESSAGE_ID.withValue(r.partition() + "-" + r.offset()));
  }
}
