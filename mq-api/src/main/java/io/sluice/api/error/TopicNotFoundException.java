package io.sluice.api.error;

/** The topic has not been created. Create it with {@code createTopic} first. */
public final class TopicNotFoundException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final String topic;

  public TopicNotFoundException(String topic) {
    super(
        "topic " + io.sluice.api.internal.Texts.quote(topic) + " does not exist; create it first");
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }
}
