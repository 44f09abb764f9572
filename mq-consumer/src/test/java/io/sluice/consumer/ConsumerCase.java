package io.sluice.consumer;

import io.sluice.Sluice;
import io.sluice.api.Backoff;
import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.tck.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The base of every area of {@link ConsumerContract}: the runtime and store under test, their clock
 * and listener, and small helpers that keep the cases short.
 */
abstract class ConsumerCase {
  static final Duration WAIT = ConsumerContract.WAIT;
  static final Backoff NOW = ConsumerContract.NOW;

  private final ConsumerContract contract;

  ConsumerCase(ConsumerContract contract) {
    this.contract = contract;
  }

  ConsumerContract contract() {
    return contract;
  }

  /** The runtime under test (replaced when the store is reopened). */
  Sluice sluice() {
    return contract.sluice;
  }

  /** The store under test, wrapped to count calls and inject faults. */
  RecordingStorage storage() {
    return contract.storage;
  }

  /** The clock of the runtime (and, unless a case skews it, of the store). */
  SettableClock clock() {
    return contract.clock;
  }

  /** Every listener hook, counted. */
  CountingListener stats() {
    return contract.stats;
  }

  List<String> crashingConsumerArgs() {
    return contract.crashingConsumerArgs();
  }

  boolean exclusiveStore() {
    return contract.exclusiveStore();
  }

  int seedOrders() {
    return contract.seedOrders();
  }

  void topic(String name, int partitions) {
    sluice().admin().createTopic(name, TopicConfig.partitions(partitions));
  }

  List<Receipt> produce(String topic, int count) {
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(Message.builder("m-" + i).key("k-" + (i % 7)).build());
    }
    return sluice().producer().sendAll(topic, batch);
  }

  ConsumerGroupBuilder group(String name, String topic) {
    return sluice().consumer(name).subscribe(topic).pollInterval(Duration.ofMillis(5));
  }

  long lag(String group, String topic) {
    return sluice().admin().lag(group, topic);
  }
}
