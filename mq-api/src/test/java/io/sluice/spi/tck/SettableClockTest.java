package io.sluice.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SettableClockTest {
  @Test
  void startsAtTheFixedDefaultAndStandsStill() {
    SettableClock clock = new SettableClock();
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(clock.instant());
    assertThat(clock.millis()).isEqualTo(SettableClock.DEFAULT_START.toEpochMilli());
  }

  @Test
  void startsWhereItIsToldAndMovesOnlyWhenTold() {
    Instant start = Instant.parse("2030-06-01T12:00:00Z");
    SettableClock clock = new SettableClock(start);
    assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(start.plusSeconds(90));
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(90));
    clock.advance(Duration.ofSeconds(-30));
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(60));
    clock.set(start.minusSeconds(3600));
    assertThat(clock.instant()).isEqualTo(start.minusSeconds(3600));
    assertThat(clock).hasToString("SettableClock[" + start.minusSeconds(3600) + "]");
  }

  @Test
  void rejectsNulls() {
    SettableClock clock = new SettableClock();
    assertThatThrownBy(() -> clock.set(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new SettableClock(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void concurrentAdvancesAreNeverLost() throws Exception {
    SettableClock clock = new SettableClock();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(
          () -> {
            for (int j = 0; j < 5_000; j++) {
              clock.advance(Duration.ofMillis(1));
            }
            return null;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(clock.instant()).isEqualTo(SettableClock.DEFAULT_START.plusSeconds(20));
  }
}
