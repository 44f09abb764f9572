/**
 * Spring Boot auto-configuration for Sluice: {@link
 * io.sluice.spring.autoconfigure.SluiceAutoConfiguration}, the {@code sluice.*} {@link
 * io.sluice.spring.autoconfigure.SluiceProperties} and the {@link
 * io.sluice.spring.autoconfigure.SluiceCustomizer} hook.
 */
package io.sluice.spring.autoconfigure;
