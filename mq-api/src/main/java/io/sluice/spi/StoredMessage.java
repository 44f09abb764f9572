package io.sluice.spi;

import io.sluice.api.Message;

/**
 * A message as stored: its position and the message with its timestamp assigned.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset in the partition, dense from 0
 * @param message the message; {@code message.timestamp()} is never null here
 */
public record StoredMessage(String topic, int partition, long offset, Message message) {}
