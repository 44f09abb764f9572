/** The order-processing demo: {@link io.sluice.samples.orders.OrdersDemo}. */
package io.sluice.samples.orders;
