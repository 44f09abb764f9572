package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.ReleaseRequest;
import io.sluice.spi.StartRequest;
import io.sluice.spi.tck.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F15 (clock jumps), F18 (retention versus a slow reader) and state across restarts. */
class ClockAndRetentionTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  private List<Lease> claim(FileStorage s, int max) {
    return s.claim(ClaimRequest.of("g", TOPIC, max, LEASE));
  }

  /** Their handlers start: each lease counts its attempt. */
  private static void started(FileStorage s, List<Lease> leases) {
    s.markStarted(new StartRequest("g", leases.stream().map(Lease::id).toList()));
  }

  @Test
  void clockJumpForwardAnHourExpiresLeasesAndFencesTheOldHolder() {
    try (FileStorage s = StoreFixture.withTopic(open(config(dir, clock)))) {
      batch(s, 0, 3);
      List<Lease> first = claim(s, 3);
      started(s, first);
      clock.advance(Duration.ofHours(1));
      List<Lease> again = claim(s, 3);
      assertThat(again).extracting(Lease::attempt).containsOnly(2);
      assertThat(s.ack("g", List.of(Ack.of(first.get(0).id()))).rejected()).hasSize(1);
      assertThat(s.ack("g", again.stream().map(l -> Ack.of(l.id())).toList()).applied())
          .isEqualTo(3);
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(3);
    }
  }

  @Test
  void clockJumpBackAnHourNeverLeavesALeaseHeldForEverAndLosesNothing() {
    try (FileStorage s = StoreFixture.withTopic(open(config(dir, clock)))) {
      batch(s, 0, 2);
      List<Lease> first = claim(s, 2);
      assertThat(claim(s, 2)).as("leased: nothing visible").isEmpty();
      clock.advance(Duration.ofHours(-1));
      List<Lease> again = claim(s, 2);
      assertThat(again).as("a jump back beyond the lease ends it").hasSize(2);
      assertThat(s.ack("g", List.of(Ack.of(first.get(1).id()))).rejected()).hasSize(1);
      s.ack("g", again.stream().map(l -> Ack.of(l.id())).toList());
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(2);
    }
  }

  @Test
  void deliverAtIsHonouredAcrossClockJumps() {
    try (FileStorage s = StoreFixture.withTopic(open(config(dir, clock)))) {
      Message later = Message.builder("later").deliverAt(clock.instant().plusSeconds(600)).build();
      s.append(TOPIC, List.of(OutgoingMessage.toPartition(later, 0)));
      clock.advance(Duration.ofHours(-1));
      assertThat(claim(s, 1)).isEmpty();
      clock.advance(Duration.ofHours(1).plusSeconds(599));
      assertThat(claim(s, 1)).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      assertThat(claim(s, 1))
          .extracting(l -> l.message().message().payloadAsString())
          .containsExactly("later");
    }
  }

  @Test
  void retentionUnderASlowReaderGivesOffsetOutOfRangeAndMovesTheGroupToTheLogStart() {
    try (FileStorage s = open(config(dir, clock).segmentBytes(1024))) {
      s.createTopic(TOPIC, TopicConfig.defaults().withRetention(Duration.ofHours(1)));
      batch(s, 0, 5);
      List<Lease> slow = claim(s, 1);
      for (int i = 5; i < 200; i += 5) {
        batch(s, i, i + 5);
      }
      clock.advance(Duration.ofMinutes(90));
      batch(s, 200, 205);
      assertThat(s.enforceRetention()).isPositive();
      long start = s.describeTopic(TOPIC).partitions().get(0).logStartOffset();
      assertThat(start).isPositive();
      assertThatThrownBy(() -> s.read(TOPIC, 0, 0, 10))
          .isInstanceOfSatisfying(
              OffsetOutOfRangeException.class,
              e -> assertThat(e.logStartOffset()).isEqualTo(start));
      assertThat(s.ack("g", List.of(Ack.of(slow.get(0).id()))).rejected()).hasSize(1);
      List<Lease> next = claim(s, 1);
      assertThat(next.get(0).id().offset()).isEqualTo(start);
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(start);
    }
  }

  @Test
  void afterRestartOnlyUnackedMessagesReturnWithTheirAttemptCounts() {
    List<Lease> leases;
    try (FileStorage s = StoreFixture.withTopic(open(config(dir, clock)))) {
      batch(s, 0, 4);
      leases = claim(s, 4);
      started(s, leases);
      s.ack("g", List.of(Ack.of(leases.get(0).id()), Ack.of(leases.get(2).id())));
      s.release(new ReleaseRequest("g", leases.get(3).id(), Duration.ofSeconds(60), true));
      s.abandon();
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.groupState("g", TOPIC).get(0).committedOffset()).isEqualTo(1);
      List<Lease> back = claim(s, 4);
      assertThat(back).extracting(l -> l.id().offset()).containsExactly(1L);
      assertThat(back.get(0).attempt()).isEqualTo(2);
      s.ack("g", List.of(Ack.of(back.get(0).id())));
      clock.advance(Duration.ofSeconds(60));
      List<Lease> retry = claim(s, 4);
      assertThat(retry).extracting(l -> l.id().offset()).containsExactly(3L);
      assertThat(retry.get(0).attempt()).isEqualTo(2);
      assertThat(s.ack("g", List.of(Ack.of(leases.get(1).id()))).rejected())
          .as("a lease from before the restart is stale")
          .hasSize(1);
    }
  }
}
