package io.sluice.consumer.admin;

import io.sluice.api.Message;

/**
 * A message read from a topic by {@link io.sluice.consumer.SluiceAdmin#browse}, with its position.
 * Browsing reads the log; it claims nothing and changes no group's progress.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset in the partition
 * @param message the message as stored; its timestamp is always set
 */
public record BrowsedMessage(String topic, int partition, long offset, Message message) {}
