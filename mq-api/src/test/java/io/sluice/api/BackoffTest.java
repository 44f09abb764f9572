package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.InvalidConfigException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  @ParameterizedTest(name = "attempt {0}: {1} s")
  @CsvSource({
    "1,1",
    "2,2",
    "3,4",
    "4,8",
    "5,16",
    "6,32",
    "7,64",
    "8,128",
    "9,256",
    "10,300",
    "11,300",
    "50,300",
    "2147483647,300"
  })
  void theDefaultFollowsItsJavadocTable(int attempt, long seconds) {
    assertThat(Backoff.DEFAULT.baseDelay(attempt)).isEqualTo(Duration.ofSeconds(seconds));
    assertThat(Backoff.DEFAULT.delay(attempt, 0.0)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void jitterStaysWithinItsRangeAndNeverExceedsTheCap() {
    SplittableRandom random = new SplittableRandom(42);
    for (int attempt = 1; attempt <= 12; attempt++) {
      Duration d = Backoff.DEFAULT.baseDelay(attempt);
      Duration low = Duration.ofNanos((long) (d.toNanos() * 0.8));
      for (int i = 0; i < 200; i++) {
        Duration j = Backoff.DEFAULT.delay(attempt, random);
        assertThat(j).isBetween(low, d);
        assertThat(j).isLessThanOrEqualTo(Duration.ofMinutes(5));
      }
    }
  }

  @Test
  void jitterIsAPureFunctionOfTheUniformDraw() {
    Backoff b =
        Backoff.exponential(Duration.ofSeconds(10), 2, Duration.ofMinutes(1)).withJitter(0.5);
    assertThat(b.delay(1, 0.0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.delay(1, 0.5)).isEqualTo(Duration.ofMillis(7500));
    assertThat(b.delay(1, 0.999_999)).isGreaterThan(Duration.ofMillis(5000));
    Backoff full = b.withJitter(1.0);
    assertThat(full.delay(2, 0.25)).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void fixedAndZeroBackoffs() {
    Backoff fixed = Backoff.fixed(Duration.ofSeconds(3));
    assertThat(fixed.baseDelay(1)).isEqualTo(Duration.ofSeconds(3));
    assertThat(fixed.baseDelay(1000)).isEqualTo(Duration.ofSeconds(3));
    assertThat(Backoff.fixed(Duration.ZERO).delay(5, 0.3)).isZero();
  }

  @Test
  void aMultiplierOfOneNeverGrows() {
    Backoff flat = Backoff.exponential(Duration.ofMillis(250), 1.0, Duration.ofSeconds(1));
    assertThat(flat.baseDelay(40)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void badParametersAreRejectedWithWhatIsAllowed() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), 2, s, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("zero or positive");
    assertThatThrownBy(() -> new Backoff(null, 2, s, 0)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new Backoff(s, 0.5, s, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(">= 1");
    assertThatThrownBy(() -> new Backoff(s, Double.NaN, s, 0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new Backoff(s, Double.POSITIVE_INFINITY, s, 0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, s, 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("at least the initial delay");
    assertThatThrownBy(() -> new Backoff(s, 2, s, -0.1)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new Backoff(s, 2, s, 1.1))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("0 to 1");
    assertThatThrownBy(() -> Backoff.DEFAULT.baseDelay(0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Backoff.DEFAULT.delay(1, 1.0))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> Backoff.DEFAULT.delay(1, -0.1))
        .isInstanceOf(InvalidConfigException.class);
  }
}
