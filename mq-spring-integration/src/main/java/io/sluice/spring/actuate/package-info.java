/** Operations: the {@code sluice} health indicator, Micrometer meters and the Actuator endpoint. */
package io.sluice.spring.actuate;
