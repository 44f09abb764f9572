package io.sluice.api.error;

/**
 * A topic was created again with a configuration different from the one it has. Creating it again
 * with an equal configuration is not an error.
 */
public final class TopicExistsException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final String topic;

  public TopicExistsException(String topic, Object existing, Object requested) {
    super(
        "topic "
            + io.sluice.api.internal.Texts.quote(topic)
            + " already exists with a different configuration: expected "
            + existing
            + ", found "
            + requested);
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }
}
