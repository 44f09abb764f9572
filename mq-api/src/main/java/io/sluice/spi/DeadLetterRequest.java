package io.sluice.spi;

import io.sluice.api.Message;
import io.sluice.api.internal.Validation;

/**
 * Moves a delivery to a dead-letter topic: append {@code message} to {@code deadLetterTopic}, then
 * ack {@code delivery} for {@code group}.
 */
public record DeadLetterRequest(
    String group, DeliveryId delivery, String deadLetterTopic, Message message) {
  public DeadLetterRequest {
    Validation.group(group);
    Validation.required("delivery", delivery);
    Validation.topic(deadLetterTopic);
    Validation.required("message", message);
  }
}
