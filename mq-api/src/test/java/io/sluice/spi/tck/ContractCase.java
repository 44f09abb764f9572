package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.BatchResult;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.GroupPartition;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PartitionInfo;
import io.sluice.spi.StartRequest;
import io.sluice.spi.Storage;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.TopicInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The base of every area of {@link StorageContract}: access to the store under test and its clock,
 * plus small helpers that keep the cases short. Names are unique per run and per call, so the cases
 * also hold on a store shared with other runs (a database).
 */
abstract class ContractCase {
  /** The lease used when a case does not care about it. */
  static final Duration LEASE = Duration.ofSeconds(30);

  private static final String RUN =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final StorageContract contract;

  ContractCase(StorageContract contract) {
    this.contract = contract;
  }

  Storage store() {
    return contract.storage();
  }

  SettableClock clock() {
    return contract.clock();
  }

  StorageContract contract() {
    return contract;
  }

  Instant now() {
    return clock().instant();
  }

  /** A valid name unique to this run and call, starting with {@code prefix}. */
  static String name(String prefix) {
    return prefix + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
  }

  /** Creates a topic with {@code partitions} partitions and default limits. */
  String topic(int partitions) {
    return topic(TopicConfig.partitions(partitions));
  }

  /** Creates a topic with this configuration. */
  String topic(TopicConfig config) {
    String t = name("t");
    store().createTopic(t, config);
    return t;
  }

  static Message msg(String payload) {
    return Message.of(payload);
  }

  static Message keyed(String key, String payload) {
    return Message.builder(payload).key(key).build();
  }

  /** Appends each message to the partition the store chooses, in one call. */
  List<Receipt> send(String topic, Message... messages) {
    return store().append(topic, Arrays.stream(messages).map(OutgoingMessage::of).toList());
  }

  /** Appends one message to an explicit partition. */
  Receipt sendTo(String topic, int partition, Message message) {
    return store().append(topic, List.of(OutgoingMessage.toPartition(message, partition))).get(0);
  }

  /** Appends {@code count} messages "m0", "m1", ... to one partition, one call. */
  List<Receipt> fill(String topic, int partition, int count) {
    List<OutgoingMessage> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(OutgoingMessage.toPartition(msg("m" + i), partition));
    }
    return store().append(topic, batch);
  }

  List<Lease> claim(String group, String topic, int max) {
    return store().claim(ClaimRequest.of(group, topic, max, LEASE));
  }

  List<Lease> claim(ClaimRequest request) {
    return store().claim(request);
  }

  BatchResult ack(String group, Lease... leases) {
    return store().ack(group, Arrays.stream(leases).map(l -> Ack.of(l.id())).toList());
  }

  /** Marks leases started (their handlers run: each counts an attempt) and asserts it applied. */
  void started(String group, Lease... leases) {
    BatchResult r =
        store().markStarted(new StartRequest(group, Arrays.stream(leases).map(Lease::id).toList()));
    assertThat(r.applied()).as("markStarted applied").isEqualTo(leases.length);
  }

  /** Acks one lease and asserts it was applied. */
  void ackOk(String group, Lease lease) {
    assertThat(ack(group, lease).applied()).as("ack of %s applied", lease.id()).isEqualTo(1);
  }

  static List<String> payloads(List<Lease> leases) {
    return leases.stream().map(l -> l.message().message().payloadAsString()).toList();
  }

  static List<Long> offsets(List<Lease> leases) {
    return leases.stream().map(l -> l.id().offset()).toList();
  }

  /** Every retained message of one partition. */
  List<StoredMessage> readAll(String topic, int partition) {
    PartitionInfo p = store().describeTopic(topic).partitions().get(partition);
    if (p.endOffset() == p.logStartOffset()) {
      return List.of();
    }
    return store()
        .read(topic, partition, p.logStartOffset(), (int) (p.endOffset() - p.logStartOffset()));
  }

  GroupPartition state(String group, String topic, int partition) {
    return store().groupState(group, topic).get(partition);
  }

  long committed(String group, String topic, int partition) {
    return state(group, topic, partition).committedOffset();
  }

  /** The topic's info plus every retained message: compare before and after to see no change. */
  record Snapshot(TopicInfo info, List<List<String>> payloads) {}

  Snapshot snapshot(String topic) {
    TopicInfo info = store().describeTopic(topic);
    List<List<String>> all = new ArrayList<>();
    for (PartitionInfo p : info.partitions()) {
      all.add(
          readAll(topic, p.partition()).stream().map(m -> m.message().payloadAsString()).toList());
    }
    return new Snapshot(info, all);
  }

  static byte[] bytes(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'x');
    return b;
  }
}
