package io.sluice.spi;

import io.sluice.api.internal.Validation;

/**
 * Pauses or resumes a consumer group, persistently; see {@link Storage#pause(PauseRequest)}.
 *
 * @param group the consumer group, a valid name
 * @param topic one topic of the group, or null for the whole group (every topic)
 * @param paused true to pause, false to resume
 */
public record PauseRequest(String group, String topic, boolean paused) {
  public PauseRequest {
    Validation.group(group);
    if (topic != null) {
      Validation.topic(topic);
    }
  }
}
