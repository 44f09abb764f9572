/**
 * Sending in Spring: {@link io.sluice.spring.core.SluiceTemplate}, payload conversion, and joining
 * Spring-managed transactions on the JDBC store.
 */
package io.sluice.spring.core;
