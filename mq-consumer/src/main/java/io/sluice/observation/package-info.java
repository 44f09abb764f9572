/**
 * Micrometer Observation of Sluice: {@link io.sluice.observation.SluiceObservation#SEND} around
 * every send (and every dead letter the runtime writes), {@link
 * io.sluice.observation.SluiceObservation#PROCESS} around every handler run. The contexts carry the
 * message headers, so a tracing handler (Micrometer Tracing) writes the W3C {@code traceparent} and
 * {@code tracestate} into a sent message and reads them back when it is processed. Give an {@code
 * ObservationRegistry} to {@link io.sluice.Sluice.Builder#observationRegistry}; without one (the
 * default {@code ObservationRegistry.NOOP}) nothing is observed and nothing is allocated for it.
 */
package io.sluice.observation;
