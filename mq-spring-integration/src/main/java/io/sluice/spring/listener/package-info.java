/**
 * Consuming in Spring: {@link io.sluice.spring.listener.SluiceListener} on bean methods, and the
 * {@link io.sluice.spring.listener.ListenerEndpointRegistry} that runs them.
 */
package io.sluice.spring.listener;
