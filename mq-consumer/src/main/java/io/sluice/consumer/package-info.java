/**
 * Consumer groups: {@link io.sluice.consumer.ConsumerGroupBuilder}, {@link
 * io.sluice.consumer.GroupConfig}, {@link io.sluice.consumer.RetryPolicy}, the {@link
 * io.sluice.consumer.ConsumerListener} metrics hooks and {@link io.sluice.consumer.SluiceAdmin}.
 */
package io.sluice.consumer;
