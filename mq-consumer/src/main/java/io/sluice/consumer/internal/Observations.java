package io.sluice.consumer.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.sluice.api.Delivery;
import io.sluice.api.Receipt;
import io.sluice.api.internal.Validation;
import io.sluice.observation.DefaultSluiceProcessObservationConvention;
import io.sluice.observation.DefaultSluiceSendObservationConvention;
import io.sluice.observation.SluiceObservation;
import io.sluice.observation.SluiceProcessObservationConvention;
import io.sluice.observation.SluiceReceiverContext;
import io.sluice.observation.SluiceSendObservationConvention;
import io.sluice.observation.SluiceSenderContext;
import java.util.concurrent.CompletionException;

/**
 * The runtime's observations: one per send, one per handler run, one per dead letter written. While
 * the registry is a no-op ({@link ObservationRegistry#NOOP}, or a registry without handlers) the
 * callers take their unobserved path: no context, no observation, no header is made. The registry
 * is asked on every call, so handlers registered after start are honoured.
 *
 * @param registry where observations go
 * @param sendConvention a custom send convention, or null for the default
 * @param processConvention a custom process convention, or null for the default
 * @param listenerId the listener id of process observations (the group name for core users)
 */
public record Observations(
    ObservationRegistry registry,
    SluiceSendObservationConvention sendConvention,
    SluiceProcessObservationConvention processConvention,
    String listenerId) {

  /** Nothing observed. */
  public static final Observations NONE =
      new Observations(ObservationRegistry.NOOP, null, null, null);

  /** Checks the registry. */
  public Observations {
    Validation.required("observationRegistry", registry);
  }

  /** These observations for the listener {@code id}. */
  public Observations forListener(String id) {
    return new Observations(registry, sendConvention, processConvention, id);
  }

  /** Whether observations are made now. */
  boolean on() {
    return !registry.isNoop();
  }

  /**
   * Starts the send observation of {@code context}, as a child of {@code parent} when given (else
   * of the current observation, if any); its propagating handler sets the carrier's headers.
   */
  Observation startSend(SluiceSenderContext context, Observation parent) {
    Observation o =
        SluiceObservation.SEND.observation(
            sendConvention,
            DefaultSluiceSendObservationConvention.INSTANCE,
            () -> context,
            registry);
    if (parent != null) {
      o.parentObservation(parent);
    }
    return o.start();
  }

  /** Starts the process observation of {@code d}; null when observations are off. */
  Observation startProcess(Delivery d) {
    if (!on()) {
      return null;
    }
    SluiceReceiverContext context =
        new SluiceReceiverContext(d, listenerId != null ? listenerId : d.group());
    return SluiceObservation.PROCESS
        .observation(
            processConvention,
            DefaultSluiceProcessObservationConvention.INSTANCE,
            () -> context,
            registry)
        .start();
  }

  /** Ends a send observation with its receipt or failure. */
  static void stopSend(
      Observation o, SluiceSenderContext context, Receipt receipt, Throwable failure) {
    if (failure != null) {
      o.error(
          failure instanceof CompletionException c && c.getCause() != null
              ? c.getCause()
              : failure);
    } else {
      context.receipt(receipt);
    }
    o.stop();
  }
}
