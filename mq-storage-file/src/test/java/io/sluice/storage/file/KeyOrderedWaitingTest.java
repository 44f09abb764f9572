package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.Ordering;
import io.sluice.api.TopicConfig;
import io.sluice.spi.Ack;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.Lease;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.tck.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KEY_ORDERED: the messages of a held key wait as bare offsets behind the key's first undone
 * message and move up one at a time, when it is done or removed by retention.
 */
class KeyOrderedWaitingTest {
  private static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  private static OutgoingMessage keyed(String key, String payload) {
    return OutgoingMessage.toPartition(Message.builder(payload).key(key).build(), 0);
  }

  private static List<String> claim(FileStorage s, Ordering ordering) {
    ClaimRequest r = ClaimRequest.of("g", TOPIC, 10, LEASE).withOrdering(ordering);
    List<Lease> leases = s.claim(r);
    s.ack("g", leases.stream().map(l -> Ack.of(l.id())).toList());
    return leases.stream().map(l -> l.message().message().payloadAsString()).toList();
  }

  @Test
  void theNextMessageOfAKeyWaitsForItsDeliverAtEvenUnderAnUnorderedClaim() {
    try (FileStorage s = open(config(dir, clock))) {
      s.createTopic(TOPIC, TopicConfig.partitions(1));
      Message later =
          Message.builder("A-1").key("A").deliverAt(clock.instant().plusSeconds(600)).build();
      s.append(
          TOPIC,
          List.of(keyed("A", "A-0"), OutgoingMessage.toPartition(later, 0), keyed("A", "A-2")));
      assertThat(claim(s, Ordering.KEY_ORDERED)).containsExactly("A-0");
      assertThat(claim(s, Ordering.UNORDERED)).as("A-1 is not due yet").isEmpty();
      assertThat(claim(s, Ordering.KEY_ORDERED)).isEmpty();
      clock.advance(Duration.ofSeconds(600));
      assertThat(claim(s, Ordering.KEY_ORDERED)).containsExactly("A-1");
      assertThat(claim(s, Ordering.KEY_ORDERED)).containsExactly("A-2");
    }
  }

  @Test
  void whenRetentionRemovesAKeysFirstMessageTheNextRetainedOneGoes() {
    try (FileStorage s = open(config(dir, clock).segmentBytes(1024))) {
      s.createTopic(TOPIC, TopicConfig.partitions(1).withRetention(Duration.ofHours(1)));
      s.append(TOPIC, List.of(keyed("C", "C-0"), keyed("C", "C-1")));
      for (int i = 0; i < 40; i++) {
        s.append(TOPIC, List.of(keyed("A", "A-" + i)));
        clock.advance(i == 19 ? Duration.ofMinutes(60) : Duration.ZERO);
      }
      ClaimRequest ordered =
          ClaimRequest.of("g", TOPIC, 10, LEASE).withOrdering(Ordering.KEY_ORDERED);
      // C-0 and A-0, never acked: C-1 and wait behind them
      assertThat(s.claim(ordered)).hasSize(2);
      clock.advance(Duration.ofMinutes(30));
      s.append(TOPIC, List.of(keyed("B", "B-0")));
      assertThat(s.enforceRetention()).as("the segments of A-0 to A-19 at most").isPositive();
      long start = s.describeTopic(TOPIC).partitions().get(0).logStartOffset() - 2;
      assertThat(start).as("A's first retained message").isBetween(1L, 20L);
      clock.advance(LEASE);
      assertThat(claim(s, Ordering.KEY_ORDERED)).containsExactly("A-" + start, "B-0");
      assertThat(claim(s, Ordering.KEY_ORDERED)).containsExactly("A-" + (start + 1));
    }
  }
}
