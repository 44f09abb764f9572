package io.sluice.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.Position;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.InvalidMessageException;
import io.sluice.api.error.InvalidNameException;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpiRecordsTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @Test
  void claimRequestDefaultsAndWithers() {
    ClaimRequest r = ClaimRequest.of("g", "t", 10, LEASE);
    assertThat(r.ordering()).isEqualTo(Ordering.UNORDERED);
    assertThat(r.startPosition()).isEqualTo(Position.EARLIEST);
    assertThat(r.member()).isNull();
    ClaimRequest w =
        r.withOrdering(Ordering.KEY_ORDERED)
            .withStartPosition(Position.LATEST)
            .withMember("host-1");
    assertThat(w)
        .isEqualTo(
            new ClaimRequest("g", "t", 10, LEASE, Ordering.KEY_ORDERED, Position.LATEST, "host-1"));
    assertThat(r.start()).isFalse();
    ClaimRequest s = w.withStart(true);
    assertThat(s.start()).isTrue();
    assertThat(s.withMember("host-2").withOrdering(Ordering.UNORDERED).start())
        .as("the other withers keep start")
        .isTrue();
    assertThat(s.withStart(false)).isEqualTo(w);
  }

  @Test
  void claimRequestValidation() {
    assertThat(ClaimRequest.of("g", "t", ClaimRequest.MAX_CLAIM, LEASE).maxMessages())
        .isEqualTo(10_000);
    assertThatThrownBy(() -> ClaimRequest.of("g", "t", 0, LEASE))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("maxMessages must be at least 1, found 0");
    assertThatThrownBy(() -> ClaimRequest.of("g", "t", 10_001, LEASE))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("maxMessages must be at most 10000, found 10001");
    assertThatThrownBy(() -> ClaimRequest.of("g", "t", 1, Duration.ZERO))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ClaimRequest.of("g", "t", 1, Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ClaimRequest.of("a b", "t", 1, LEASE))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> ClaimRequest.of("g", "", 1, LEASE))
        .isInstanceOf(InvalidNameException.class);
    ClaimRequest ok = ClaimRequest.of("g", "t", 1, LEASE);
    assertThatThrownBy(() -> ok.withOrdering(null)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ok.withStartPosition(null)).isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void ackValidation() {
    DeliveryId id = new DeliveryId("t", 0, 1, 2);
    assertThat(Ack.of(id)).isEqualTo(new Ack(id, null));
    assertThatThrownBy(() -> Ack.of(null)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new Ack(id, "")).isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> new Ack(id, "a\u0000")).isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void outgoingMessageValidation() {
    Message m = Message.of("x");
    assertThat(OutgoingMessage.of(m).partition()).isEqualTo(OutgoingMessage.ANY_PARTITION);
    assertThat(OutgoingMessage.toPartition(m, 0).partition()).isZero();
    assertThatThrownBy(() -> OutgoingMessage.toPartition(m, -2))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("found -2");
    assertThatThrownBy(() -> OutgoingMessage.of(null)).isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void deadLetterRequestValidation() {
    DeliveryId id = new DeliveryId("t", 0, 1, 2);
    Message m = Message.of("x");
    assertThat(new DeadLetterRequest("g", id, "t.dlq", m).deadLetterTopic()).isEqualTo("t.dlq");
    assertThatThrownBy(() -> new DeadLetterRequest("g", id, "../dlq", m))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> new DeadLetterRequest("", id, "t.dlq", m))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> new DeadLetterRequest("g", null, "t.dlq", m))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new DeadLetterRequest("g", id, "t.dlq", null))
        .isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void resultsAndInfosCopyTheirLists() {
    List<DeliveryId> rejected = new ArrayList<>(List.of(new DeliveryId("t", 0, 0, 1)));
    BatchResult r = new BatchResult(1, rejected);
    rejected.clear();
    assertThat(r.rejected()).hasSize(1);
    assertThat(BatchResult.allApplied(3)).isEqualTo(new BatchResult(3, List.of()));
    List<PartitionInfo> parts = new ArrayList<>(List.of(new PartitionInfo(0, 0, 5)));
    TopicInfo info = new TopicInfo("t", TopicConfig.defaults(), parts);
    parts.clear();
    assertThat(info.partitions()).hasSize(1);
  }

  @Test
  void lagIsTheDistanceToTheEndNeverNegative() {
    assertThat(new GroupPartition(0, 3, 10, 2).lag()).isEqualTo(7);
    assertThat(new GroupPartition(0, 10, 10, 0).lag()).isZero();
    assertThat(new GroupPartition(0, 12, 10, 0).lag()).isZero();
  }

  @Test
  void deliveryIdPrintsItsPositionAndToken() {
    assertThat(new DeliveryId("orders", 3, 42, 7)).hasToString("orders-3@42#7");
  }

  @Test
  void theEmptyTransactionContextUnwrapsNothing() {
    assertThat(TransactionContext.none().unwrap(Connection.class)).isEmpty();
    assertThat(TransactionContext.none().unwrap(Object.class)).isEmpty();
  }

  @Test
  void everyRequestRecordValidatesItsArgumentsWhenBuilt() {
    DeliveryId id = new DeliveryId("t", 0, 0, 1);
    assertThatThrownBy(() -> new AppendRequest("t", null))
        .isInstanceOf(InvalidMessageException.class);
    List<OutgoingMessage> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> new AppendRequest("t", withNull))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("null messages");
    assertThatThrownBy(() -> new AppendRequest("-t", List.of()))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> new ReadRequest("t", 0, 0, 0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new ReadRequest("t", 0, 0, ReadRequest.MAX_READ + 1))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new ReleaseRequest("g", id, Duration.ofMillis(-1), true))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("delay must be zero or positive");
    assertThatThrownBy(() -> new ReleaseRequest("g", null, Duration.ZERO, true))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new ExtendRequest("g", List.of(id), Duration.ZERO))
        .isInstanceOf(InvalidConfigException.class);
    List<DeliveryId> nullId = new ArrayList<>();
    nullId.add(null);
    assertThatThrownBy(() -> new StartRequest("g", nullId))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new AckRequest("g", null)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new SeekRequest("g", "t", 0, null))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new PauseRequest("g", "a b", true))
        .isInstanceOf(InvalidNameException.class);
    assertThat(new PauseRequest("g", null, true).topic()).isNull();
    assertThat(ReleaseRequest.unprocessed("g", id))
        .isEqualTo(new ReleaseRequest("g", id, Duration.ZERO, false));
  }
}
