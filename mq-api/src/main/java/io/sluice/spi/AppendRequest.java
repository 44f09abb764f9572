package io.sluice.spi;

import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.internal.Validation;
import java.util.List;

/**
 * Appends a batch to one topic; see {@link Storage#append(AppendRequest)}.
 *
 * @param topic the topic, a valid name
 * @param messages the batch, in order; may be empty (the call then only checks the topic exists)
 */
public record AppendRequest(String topic, List<OutgoingMessage> messages) {
  public AppendRequest {
    Validation.topic(topic);
    if (messages == null) {
      throw new InvalidMessageException("batch must not be null");
    }
    for (OutgoingMessage m : messages) {
      if (m == null) {
        throw new InvalidMessageException("batch must not contain null messages");
      }
    }
    messages = List.copyOf(messages);
  }
}
