/**
 * A small web dashboard over {@link io.sluice.consumer.SluiceAdmin}: {@link
 * io.sluice.dashboard.DashboardApi} answers the page and its JSON endpoints, and {@link
 * io.sluice.dashboard.DashboardServer} hosts them on the JDK's HTTP server.
 */
package io.sluice.dashboard;
