package io.sluice.storage.jdbc.internal;

import io.sluice.api.TopicConfig;

/**
 * A topic as stored: its internal id (used in every other table), name and configuration.
 *
 * @param id the internal id
 * @param name the topic name
 * @param config the configuration
 */
public record TopicRow(int id, String name, TopicConfig config) {}
