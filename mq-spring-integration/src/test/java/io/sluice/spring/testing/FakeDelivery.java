package io.sluice.spring.testing;

import io.sluice.api.Delivery;
import io.sluice.api.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A delivery for unit tests: records how it was settled. */
public final class FakeDelivery implements Delivery {
  private final String topic;
  private final String group;
  private final Message message;
  public final List<String> settled = new ArrayList<>();

  public FakeDelivery(String topic, String group, Message message) {
    this.topic = topic;
    this.group = group;
    this.message = message;
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public int partition() {
    return 0;
  }

  @Override
  public long offset() {
    return 7;
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public Instant firstDeliveredAt() {
    return Instant.EPOCH;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public void ack() {
    settled.add("ack");
  }

  @Override
  public void nack() {
    settled.add("nack");
  }

  @Override
  public void nack(Duration delay) {
    settled.add("nack " + delay);
  }

  @Override
  public void retryLater(Duration delay) {
    settled.add("retryLater " + delay);
  }

  @Override
  public void deadLetter(String reason) {
    settled.add("deadLetter " + reason);
  }

  @Override
  public void extendLease(Duration extension) {
    settled.add("extend " + extension);
  }
}
