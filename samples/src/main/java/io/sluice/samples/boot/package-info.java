/** The Spring Boot sample: {@link io.sluice.samples.boot.OrdersApplication}. */
package io.sluice.samples.boot;
