package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Partitioner;
import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.InvalidNameException;
import io.sluice.api.error.InvalidPartitionException;
import io.sluice.api.error.InvalidRequestException;
import io.sluice.api.error.MessageTooLargeException;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.api.internal.Validation;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.TopicInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Bad input (RELIABILITY.md §5.2): each raises its specific exception and changes nothing. Names
 * that look like SQL but are valid land as plain data.
 */
abstract class BadInputCases extends ContractCase {
  /** Invalid topic and group names; null is tested too. */
  static final List<String> BAD_NAMES =
      List.of(
          "",
          "a".repeat(201),
          ".",
          "..",
          "-x",
          "a/b",
          "../etc",
          "a b",
          "тема",
          "a;DROP TABLE mq_messages;--",
          "' OR 1=1 --",
          "%00",
          "a\u0000b");

  BadInputCases(StorageContract contract) {
    super(contract);
  }

  private List<TopicInfo> topics() {
    return store().listTopics();
  }

  private static List<String> badNamesWithNull() {
    List<String> names = new ArrayList<>(BAD_NAMES);
    names.add(null);
    return names;
  }

  /** Calls that take a topic name, each applied to {@code name}. */
  private Map<String, ThrowingCallable> topicCalls(String name, String g) {
    Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
    calls.put("createTopic", () -> store().createTopic(name, TopicConfig.defaults()));
    calls.put("growPartitions", () -> store().growPartitions(name, 2));
    calls.put("describeTopic", () -> store().describeTopic(name));
    calls.put("append", () -> store().append(name, List.of(OutgoingMessage.of(msg("x")))));
    calls.put("read", () -> store().read(name, 0, 0, 1));
    calls.put("claim", () -> claim(ClaimRequest.of(g, name, 1, LEASE)));
    calls.put("seek", () -> store().seek(g, name, 0, Position.EARLIEST));
    calls.put("groupState", () -> store().groupState(g, name));
    calls.put("listGroups", () -> store().listGroups(name));
    calls.put("isProcessed", () -> store().isProcessed(g, name, "k"));
    return calls;
  }

  @Test
  void invalidTopicNamesAreRejectedByEveryOperationAndCreateNothing() {
    List<TopicInfo> before = topics();
    String g = name("g");
    for (String bad : badNamesWithNull()) {
      topicCalls(bad, g)
          .forEach(
              (what, call) ->
                  assertThatThrownBy(call)
                      .as("%s(%s)", what, bad)
                      .isInstanceOf(InvalidNameException.class)
                      .hasMessageContaining("expected 1 to 200 characters"));
    }
    assertThat(topics()).isEqualTo(before);
  }

  @Test
  void invalidGroupNamesAreRejectedByEveryOperationAndChangeNothing() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    Lease l = claim(g, t, 1).get(0);
    DeliveryId id = l.id();
    for (String bad : badNamesWithNull()) {
      Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
      calls.put("claim", () -> ClaimRequest.of(bad, t, 1, LEASE));
      calls.put("ack", () -> store().ack(bad, List.of(Ack.of(id))));
      calls.put("release", () -> store().release(new ReleaseRequest(bad, id, Duration.ZERO, true)));
      calls.put("extendLeases", () -> store().extendLeases(bad, List.of(id), LEASE));
      calls.put("inTransaction", () -> store().inTransaction(bad, Ack.of(id), tx -> 1));
      calls.put("seek", () -> store().seek(bad, t, 0, Position.EARLIEST));
      calls.put("groupState", () -> store().groupState(bad, t));
      calls.put("isProcessed", () -> store().isProcessed(bad, t, "k"));
      calls.put("markStarted", () -> store().markStarted(new StartRequest(bad, List.of(id))));
      calls.put("pause", () -> store().pause(new PauseRequest(bad, t, true)));
      calls.put("isPaused", () -> store().isPaused(bad, t));
      calls.forEach(
          (what, call) ->
              assertThatThrownBy(call)
                  .as("%s(%s)", what, bad)
                  .isInstanceOf(InvalidNameException.class)
                  .satisfies(
                      e ->
                          assertThat(((InvalidNameException) e).kind())
                              .isEqualTo(InvalidNameException.Kind.GROUP)));
    }
    assertThat(store().listGroups(t)).containsExactly(g);
    ackOk(g, l);
  }

  @Test
  void sqlLookingValidNamesRoundTripAsData() {
    String t = "x--DROP_TABLE.mq_messages-" + name("t");
    String g = "Robert-.DROP_TABLE.mq_offsets--" + name("g");
    String other = topic(1);
    store().createTopic(t, TopicConfig.partitions(2));
    sendTo(t, 1, msg("data"));
    Lease l = claim(g, t, 10).get(0);
    ackOk(g, l);
    assertThat(store().listTopics()).extracting(TopicInfo::name).contains(t, other);
    assertThat(store().listGroups(t)).containsExactly(g);
    assertThat(committed(g, t, 1)).isEqualTo(1);
    assertThat(sendTo(other, 0, msg("still works")).offset()).isZero();
  }

  @Test
  void anUnknownTopicIsRejectedByEveryOperationAndNotCreated() {
    List<TopicInfo> before = topics();
    String missing = name("missing");
    Map<String, ThrowingCallable> calls = topicCalls(missing, name("g"));
    calls.remove("createTopic");
    calls.forEach(
        (what, call) ->
            assertThatThrownBy(call)
                .as(what)
                .isInstanceOf(TopicNotFoundException.class)
                .hasMessageContaining(missing));
    assertThat(topics()).isEqualTo(before);
  }

  @Test
  void aMessageOfExactlyTheLimitIsAcceptedAndOneByteMoreIsRejected() {
    String t = topic(TopicConfig.partitions(1).withMaxMessageBytes(100));
    assertThat(send(t, Message.of(bytes(100))).get(0).offset()).isZero();
    Snapshot before = snapshot(t);
    assertThatThrownBy(() -> send(t, Message.of(bytes(101))))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("101")
        .hasMessageContaining("100")
        .satisfies(
            e -> {
              assertThat(((MessageTooLargeException) e).size()).isEqualTo(101);
              assertThat(((MessageTooLargeException) e).limit()).isEqualTo(100);
            });
    assertThat(snapshot(t)).isEqualTo(before);
  }

  @Test
  void keyHeadersAndIdempotencyKeyCountTowardsTheLimit() {
    String t = topic(TopicConfig.partitions(1).withMaxMessageBytes(100));
    Function<Integer, Message> sized =
        payload ->
            Message.builder(bytes(payload))
                .key("kkkk")
                .header("hh", "vvv")
                .idempotencyKey("i" + payload)
                .build();
    Message exact = sized.apply(100 - 4 - 5 - 3);
    assertThat(Validation.encodedSize(exact)).isEqualTo(100);
    send(t, exact);
    Message over = sized.apply(100 - 4 - 5 - 3 + 1);
    Snapshot before = snapshot(t);
    assertThatThrownBy(() -> send(t, over)).isInstanceOf(MessageTooLargeException.class);
    Message emoji = Message.builder(bytes(100 - 4)).key("😀").build();
    assertThat(send(t, emoji)).hasSize(1);
    assertThatThrownBy(() -> send(t, Message.builder(bytes(97)).key("😀").build()))
        .as("a key counts in UTF-8 bytes")
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(snapshot(t).payloads().get(0)).hasSize(before.payloads().get(0).size() + 1);
  }

  @Test
  void oneOversizeMessageRejectsTheWholeBatch() {
    String t = topic(TopicConfig.partitions(2).withMaxMessageBytes(100));
    Snapshot before = snapshot(t);
    assertThatThrownBy(
            () -> send(t, keyed("a", "ok"), keyed("b", "ok"), Message.of(bytes(101)), msg("ok")))
        .isInstanceOf(MessageTooLargeException.class);
    assertThat(snapshot(t)).isEqualTo(before);
  }

  @Test
  void oneBadPartitionRejectsTheWholeBatch() {
    String t = topic(2);
    Snapshot before = snapshot(t);
    List<OutgoingMessage> batch =
        List.of(OutgoingMessage.toPartition(msg("a"), 0), OutgoingMessage.toPartition(msg("b"), 2));
    assertThatThrownBy(() -> store().append(t, batch))
        .isInstanceOf(InvalidPartitionException.class)
        .satisfies(e -> assertThat(((InvalidPartitionException) e).partition()).isEqualTo(2));
    assertThatThrownBy(() -> OutgoingMessage.toPartition(msg("c"), -2))
        .isInstanceOf(InvalidConfigException.class);
    assertThat(snapshot(t)).isEqualTo(before);
  }

  @Test
  void aNullPayloadIsRejectedButAnEmptyOneRoundTrips() {
    assertThatThrownBy(() -> Message.of((byte[]) null)).isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> Message.builder((String) null))
        .isInstanceOf(InvalidMessageException.class);
    String t = topic(1);
    send(t, Message.of(new byte[0]), Message.of(""));
    assertThat(readAll(t, 0)).allSatisfy(m -> assertThat(m.message().payload()).isEmpty());
    assertThat(payloads(claim(name("g"), t, 2))).containsExactly("", "");
  }

  @Test
  void aNullKeyAndAnEmptyKeyAreDistinct() {
    String t = topic(4);
    Instant ts = now();
    send(t, Message.builder("e").key("").timestamp(ts).build());
    int emptyKeyPartition = Partitioner.partition("", 4);
    assertThat(emptyKeyPartition).isZero();
    assertThat(readAll(t, emptyKeyPartition).get(0).message().key()).isEmpty();
    Message none = sendAndRead(t, Message.builder("n").timestamp(ts).build());
    assertThat(none.key()).isNull();
  }

  private Message sendAndRead(String t, Message m) {
    var r = send(t, m).get(0);
    return store().read(t, r.partition(), r.offset(), 1).get(0).message();
  }

  @Test
  void textThatCannotBeStoredIsRejectedWhileUnicodeRoundTrips() {
    assertThatThrownBy(() -> keyed("a\uD800", "x")).isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> Message.builder("x").header("h", "a\u0000b").build())
        .isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> Message.builder("x").deliverAt(Instant.MAX).build())
        .isInstanceOf(InvalidMessageException.class);
    String t = topic(1);
    Message m =
        Message.builder("😀 тема ✓")
            .key("ключ-🔑")
            .header("émoji", "🎉")
            .deliverAt(Validation.MAX_INSTANT)
            .timestamp(Validation.MIN_INSTANT)
            .build();
    assertThat(sendAndRead(t, m)).isEqualTo(m);
  }

  @Test
  void badPartitionsAreRejectedByReadAndSeek() {
    String t = topic(2);
    String g = name("g");
    for (int bad : new int[] {-1, 2, 4096}) {
      assertThatThrownBy(() -> store().read(t, bad, 0, 1))
          .isInstanceOf(InvalidPartitionException.class);
      assertThatThrownBy(() -> store().seek(g, t, bad, Position.EARLIEST))
          .isInstanceOf(InvalidPartitionException.class);
    }
    assertThat(store().listGroups(t)).isEmpty();
  }

  @Test
  void negativeOffsetsAreRejected() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    assertThatThrownBy(() -> store().read(t, 0, -1, 1))
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThatThrownBy(() -> store().read(t, 0, Long.MIN_VALUE, 1))
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThatThrownBy(() -> store().seek(g, t, 0, Position.offset(-5)))
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThatThrownBy(() -> store().seek(g, t, 0, Position.offset(3)))
        .as("past the end")
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThat(store().groupState(g, t).get(0).committedOffset()).isZero();
  }

  @Test
  void zeroOrNegativeCountsAndDurationsAreRejected() {
    String t = topic(1);
    fill(t, 0, 1);
    String g = name("g");
    assertThatThrownBy(() -> ClaimRequest.of(g, t, 0, LEASE))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("maxMessages");
    assertThatThrownBy(() -> ClaimRequest.of(g, t, ClaimRequest.MAX_CLAIM + 1, LEASE))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ClaimRequest.of(g, t, 1, Duration.ZERO))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("lease");
    assertThatThrownBy(() -> store().read(t, 0, 0, 0)).isInstanceOf(InvalidRequestException.class);
    Lease l = claim(g, t, 1).get(0);
    for (Duration bad : Arrays.asList(Duration.ZERO, Duration.ofSeconds(-1), null)) {
      assertThatThrownBy(() -> store().extendLeases(g, List.of(l.id()), bad))
          .isInstanceOf(InvalidConfigException.class);
    }
    clock().advance(LEASE.minusSeconds(1));
    assertThat(claim(g, t, 1)).as("the rejected extensions changed nothing yet").isEmpty();
    clock().advance(Duration.ofSeconds(2));
    assertThat(claim(g, t, 1)).as("nor later").hasSize(1);
  }

  @Test
  void badTopicConfigsAreRejected() {
    assertThatThrownBy(() -> TopicConfig.partitions(0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> TopicConfig.partitions(-1)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> TopicConfig.defaults().withMaxMessageBytes(0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> TopicConfig.defaults().withDedupeWindow(Duration.ZERO))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> store().createTopic(name("t"), null))
        .isInstanceOf(InvalidConfigException.class);
  }
}
