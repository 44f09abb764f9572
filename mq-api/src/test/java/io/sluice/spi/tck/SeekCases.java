package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Position;
import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.spi.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seek: to an offset, a timestamp, the earliest or latest; in-flight leases become stale. */
abstract class SeekCases extends ContractCase {
  SeekCases(StorageContract contract) {
    super(contract);
  }

  private String consumed(String g, int count) {
    String t = topic(1);
    fill(t, 0, count);
    for (Lease l : claim(g, t, count)) {
      ackOk(g, l);
    }
    return t;
  }

  @Test
  void seekBackReplaysFromThatOffsetAsFirstAttempts() {
    String g = name("g");
    String t = consumed(g, 5);
    assertThat(store().seek(g, t, 0, Position.offset(2))).isEqualTo(2);
    assertThat(committed(g, t, 0)).isEqualTo(2);
    List<Lease> replay = claim(g, t, 10);
    assertThat(offsets(replay)).containsExactly(2L, 3L, 4L);
    assertThat(replay).extracting(Lease::attempt).containsOnly(1);
  }

  @Test
  void seekForwardSkipsMessages() {
    String t = topic(1);
    fill(t, 0, 5);
    String g = name("g");
    assertThat(store().seek(g, t, 0, Position.offset(3))).isEqualTo(3);
    assertThat(offsets(claim(g, t, 10))).containsExactly(3L, 4L);
  }

  @Test
  void seekToTheEndOffsetIsAllowed() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    assertThat(store().seek(g, t, 0, Position.offset(2))).isEqualTo(2);
    assertThat(claim(g, t, 10)).isEmpty();
  }

  @Test
  void seekToATimestampGoesToTheFirstMessageAtOrAfterIt() {
    String t = topic(1);
    fill(t, 0, 2);
    clock().advance(Duration.ofMinutes(1));
    Instant mark = now();
    fill(t, 0, 2);
    String g = name("g");
    assertThat(store().seek(g, t, 0, Position.timestamp(mark))).isEqualTo(2);
    assertThat(offsets(claim(g, t, 10))).containsExactly(2L, 3L);
    assertThat(store().seek(g, t, 0, Position.timestamp(mark.plusSeconds(1))))
        .as("after every message: the end")
        .isEqualTo(4);
  }

  @Test
  void seekEarliestAndLatest() {
    String g = name("g");
    String t = consumed(g, 3);
    assertThat(store().seek(g, t, 0, Position.EARLIEST)).isZero();
    assertThat(state(g, t, 0).lag()).isEqualTo(3);
    assertThat(store().seek(g, t, 0, Position.LATEST)).isEqualTo(3);
    assertThat(state(g, t, 0).lag()).isZero();
  }

  @Test
  void seekMakesInFlightLeasesStaleAndForgetsAttempts() {
    String t = topic(1);
    fill(t, 0, 2);
    String g = name("g");
    List<Lease> before = claim(g, t, 2);
    started(g, before.get(0), before.get(1));
    clock().advance(LEASE.plusMillis(1));
    before = claim(g, t, 2);
    assertThat(before).extracting(Lease::attempt).containsOnly(2);
    store().seek(g, t, 0, Position.offset(0));
    assertThat(ack(g, before.get(0)).rejected()).containsExactly(before.get(0).id());
    List<Lease> after = claim(g, t, 2);
    assertThat(offsets(after)).containsExactly(0L, 1L);
    assertThat(after).extracting(Lease::attempt).containsOnly(1);
    assertThat(after.get(0).id().token()).isNotEqualTo(before.get(0).id().token());
  }

  @Test
  void seekOutsideTheLogThrowsOffsetOutOfRangeAndChangesNothing() {
    String g = name("g");
    String t = consumed(g, 3);
    assertThatThrownBy(() -> store().seek(g, t, 0, Position.offset(4)))
        .isInstanceOf(OffsetOutOfRangeException.class)
        .satisfies(e -> assertThat(((OffsetOutOfRangeException) e).endOffset()).isEqualTo(3));
    assertThatThrownBy(() -> store().seek(g, t, 0, Position.offset(-1)))
        .isInstanceOf(OffsetOutOfRangeException.class);
    assertThat(committed(g, t, 0)).isEqualTo(3);
  }

  @Test
  void offsetForResolvesEachPositionWithoutMovingAnyGroup() {
    String t = topic(1);
    java.time.Instant t0 = now();
    fill(t, 0, 3);
    clock().advance(Duration.ofSeconds(10));
    fill(t, 0, 2);
    String g = name("g");
    claim(g, t, 1);
    assertThat(store().offsetFor(t, 0, io.sluice.api.Position.EARLIEST)).isZero();
    assertThat(store().offsetFor(t, 0, io.sluice.api.Position.LATEST)).isEqualTo(5);
    assertThat(store().offsetFor(t, 0, io.sluice.api.Position.offset(2))).isEqualTo(2);
    assertThat(store().offsetFor(t, 0, io.sluice.api.Position.offset(99))).isEqualTo(5);
    assertThat(store().offsetFor(t, 0, io.sluice.api.Position.offset(-1))).isZero();
    assertThat(store().offsetFor(t, 0, io.sluice.api.Position.timestamp(t0.plusSeconds(5))))
        .isEqualTo(3);
    assertThat(store().offsetFor(t, 0, io.sluice.api.Position.timestamp(t0.plusSeconds(99))))
        .isEqualTo(5);
    assertThat(committed(g, t, 0)).as("offsetFor moves nothing").isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store().offsetFor(t, 1, io.sluice.api.Position.EARLIEST))
        .isInstanceOf(io.sluice.api.error.InvalidPartitionException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store().offsetFor(name("t"), 0, io.sluice.api.Position.EARLIEST))
        .isInstanceOf(io.sluice.api.error.TopicNotFoundException.class);
  }
}
