package io.sluice.dashboard.internal;

import io.sluice.api.Header;
import io.sluice.api.Message;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.GroupPartitionView;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.PartitionView;
import io.sluice.consumer.admin.TopicView;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The JSON shapes of the dashboard's reads, built from {@link SluiceAdmin}. */
public final class Views {
  /** Payload characters shown per dead letter. */
  static final int PREVIEW = 400;

  private final SluiceAdmin admin;

  /** Views over {@code admin}. */
  public Views(SluiceAdmin admin) {
    this.admin = admin;
  }

  /** {@code GET /api/overview}. */
  public record Overview(
      String at, boolean readOnly, List<TopicRow> topics, List<GroupRow> groups) {}

  /** One topic: its partitions and, for a dead-letter topic, the pending entries. */
  public record TopicRow(
      String name,
      List<PartitionRow> partitions,
      long endOffsetSum,
      long retainedMessages,
      long retainedBytes,
      boolean deadLetterTopic,
      Long pendingDeadLetters) {}

  /** One partition of a topic. */
  public record PartitionRow(
      int partition,
      long logStartOffset,
      long endOffset,
      long retainedMessages,
      long retainedBytes) {}

  /** One group on one topic. */
  public record GroupRow(
      String group,
      String topic,
      boolean paused,
      long lag,
      int inFlight,
      long committedSum,
      List<GroupPartitionView> partitions) {}

  /** {@code GET /api/dlq/{topic}}. */
  public record DeadLetters(String topic, long pending, List<Entry> entries) {}

  /** One dead letter with its headers parsed and its payload previewed. */
  public record Entry(
      String id,
      int partition,
      long offset,
      String key,
      String payload,
      int payloadBytes,
      List<Header> headers,
      String originalTopic,
      int originalPartition,
      long originalOffset,
      String group,
      int attempts,
      String errorClass,
      String errorMessage,
      String reason,
      String firstFailureAt,
      String lastFailureAt,
      String timestamp) {}

  /** Every topic with its partitions, and every group on every topic (the admin group left out). */
  public Overview overview(boolean readOnly) {
    List<TopicRow> topics = new ArrayList<>();
    List<GroupRow> groups = new ArrayList<>();
    for (TopicView t : admin.listTopics()) {
      List<PartitionRow> partitions = new ArrayList<>();
      for (PartitionView p : t.partitions()) {
        partitions.add(
            new PartitionRow(
                p.partition(),
                p.logStartOffset(),
                p.endOffset(),
                p.retainedMessages(),
                p.retainedBytes()));
      }
      boolean dlq = false;
      for (String g : admin.listGroups(t.name())) {
        if (SluiceAdmin.DLQ_GROUP.equals(g)) {
          dlq = true;
          continue;
        }
        groups.add(group(admin.describeGroup(g, t.name())));
      }
      dlq = dlq || t.name().endsWith(".dlq");
      topics.add(
          new TopicRow(
              t.name(),
              partitions,
              t.endOffsetSum(),
              t.retainedMessages(),
              t.retainedBytes(),
              dlq,
              dlq ? admin.countDeadLetters(t.name()) : null));
    }
    return new Overview(Instant.now().toString(), readOnly, topics, groups);
  }

  private static GroupRow group(GroupView g) {
    long committed = g.partitions().stream().mapToLong(GroupPartitionView::committedOffset).sum();
    return new GroupRow(
        g.group(), g.topic(), g.paused(), g.lag(), g.inFlight(), committed, g.partitions());
  }

  /** {@code GET /api/dlq/{topic}}: up to {@code limit} pending entries. */
  public DeadLetters deadLetters(String topic, int limit) {
    admin.describeTopic(topic);
    List<Entry> entries = new ArrayList<>();
    for (DeadLetter d : admin.deadLetters(topic, limit)) {
      entries.add(entry(d));
    }
    return new DeadLetters(topic, admin.countDeadLetters(topic), entries);
  }

  static Entry entry(DeadLetter d) {
    Message m = d.message();
    return new Entry(
        d.id(),
        d.partition(),
        d.offset(),
        m.key(),
        preview(m.payload()),
        m.payload().length,
        m.headers().asList(),
        d.originalTopic(),
        d.originalPartition(),
        d.originalOffset(),
        d.group(),
        d.attempts(),
        d.errorClass(),
        d.errorMessage(),
        d.reason(),
        text(d.firstFailureAt()),
        text(d.lastFailureAt()),
        text(m.timestamp()));
  }

  /** The payload as UTF-8 text (cut to {@value #PREVIEW} characters), or a note for binary. */
  static String preview(byte[] payload) {
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload))
              .toString();
    } catch (CharacterCodingException e) {
      return "(" + payload.length + " bytes, not UTF-8)";
    }
    return s.length() > PREVIEW ? s.substring(0, PREVIEW) + "…" : s;
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
