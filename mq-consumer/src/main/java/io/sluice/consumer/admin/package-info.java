/**
 * The values {@link io.sluice.consumer.SluiceAdmin} returns and takes: views of topics, partitions
 * and consumer groups, browsed messages, offset changes and dead-letter filters. They are plain
 * immutable records with no dependency on the storage SPI, so tools (the {@code sluice} command
 * line, the dashboard, an Actuator endpoint) can show and serialise them as they are.
 */
package io.sluice.consumer.admin;
