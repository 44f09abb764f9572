package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void aCountedPhaseShowsDoneOfTotalAndTheRateSinceTheLastLine() {
    AtomicLong done = new AtomicLong();
    try (Progress p = Progress.count("append", 2_000_000, done::get)) {
      long t0 = System.nanoTime();
      done.set(500_000);
      // half a second after the phase began... (the phase's start is a little before t0)
      String first = p.line(t0 + 500_000_000L);
      assertThat(first).contains("append: 500,000 of 2,000,000 (25%)").endsWith("/s");
      done.set(1_500_000);
      String second = p.line(t0 + 1_500_000_000L);
      assertThat(second).contains("1,500,000 of 2,000,000 (75%), 1,000,000/s");
    }
  }

  @Test
  void aTimedPhaseShowsSecondsOfItsLength() {
    AtomicLong done = new AtomicLong(42);
    try (Progress p = Progress.timed("SYNC, 8 senders", Duration.ofSeconds(4), done::get)) {
      String line = p.line(System.nanoTime());
      assertThat(line).containsPattern("SYNC, 8 senders: 0\\.\\d of 4\\.0 s, 42 done, [\\d,]+/s");
    }
  }

  @Test
  void theIntervalIsSecondsAndZeroTurnsItOff() {
    assertThat(Progress.interval(null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(Progress.interval("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Progress.interval("0.5")).isEqualTo(Duration.ofMillis(500));
    assertThat(Progress.interval("0")).isZero();
    assertThatThrownBy(() -> Progress.interval("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sluice.bench.progress");
  }
}
