package io.sluice.observation;

import io.micrometer.common.KeyValues;
import io.sluice.api.Delivery;
import io.sluice.observation.SluiceObservation.HighCardinalityKeys;
import io.sluice.observation.SluiceObservation.LowCardinalityKeys;

/**
 * The default {@link SluiceProcessObservationConvention}: name {@code sluice.process}, contextual
 * name {@code <topic> process}, the keys listed in {@link SluiceObservation}.
 */
public class DefaultSluiceProcessObservationConvention
    implements SluiceProcessObservationConvention {

  /** A shared instance. */
  public static final DefaultSluiceProcessObservationConvention INSTANCE =
      new DefaultSluiceProcessObservationConvention();

  /** For subclasses; use {@link #INSTANCE} otherwise. */
  public DefaultSluiceProcessObservationConvention() {}

  @Override
  public String getContextualName(SluiceReceiverContext context) {
    return context.delivery().topic() + " process";
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(SluiceReceiverContext context) {
    Delivery d = context.delivery();
    return KeyValues.of(
        LowCardinalityKeys.MESSAGING_SYSTEM.withValue("sluice"),
        LowCardinalityKeys.MESSAGING_OPERATION.withValue("process"),
        LowCardinalityKeys.DESTINATION_NAME.withValue(d.topic()),
        LowCardinalityKeys.CONSUMER_GROUP.withValue(d.group()),
        LowCardinalityKeys.LISTENER_ID.withValue(context.listenerId()));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(SluiceReceiverContext context) {
    Delivery d = context.delivery();
    return KeyValues.of(
        HighCardinalityKeys.PARTITION.withValue(Integer.toString(d.partition())),
        HighCardinalityKeys.MESSAGE_ID.withValue(d.partition() + "-" + d.offset()),
        HighCardinalityKeys.DELIVERY_COUNT.withValue(Integer.toString(d.attempt())));
  }
}
