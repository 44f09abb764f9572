package io.sluice.spring.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Backoff;
import io.sluice.api.error.InvalidConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffFormatTest {

  @Test
  void oneFieldIsAFixedDelay() {
    assertThat(BackoffFormat.parse("500ms")).isEqualTo(Backoff.fixed(Duration.ofMillis(500)));
  }

  @Test
  void threeFieldsAreExponentialWithDefaultJitter() {
    assertThat(BackoffFormat.parse("1s,2.0,5m"))
        .isEqualTo(new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2));
  }

  @Test
  void twoFieldsCapAtFiveMinutes() {
    assertThat(BackoffFormat.parse("10ms, 3").max()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void fourFieldsSetTheJitter() {
    assertThat(BackoffFormat.parse("100ms,3,10s,0"))
        .isEqualTo(new Backoff(Duration.ofMillis(100), 3.0, Duration.ofSeconds(10), 0.0));
  }

  @Test
  void formatReadsBack() {
    Backoff b = new Backoff(Duration.ofMillis(250), 1.5, Duration.ofSeconds(9), 0.1);
    assertThat(BackoffFormat.parse(BackoffFormat.format(b))).isEqualTo(b);
  }

  @Test
  void badTextNamesTheProblem() {
    assertThatThrownBy(() -> BackoffFormat.parse("fast"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("found \"fast\"")
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> BackoffFormat.parse("1s,x"))
        .hasMessageContaining("multiplier \"x\" is not a number");
    assertThatThrownBy(() -> BackoffFormat.parse("1s,0.5"))
        .hasMessageContaining("multiplier must be a finite number >= 1");
    assertThatThrownBy(() -> BackoffFormat.parse("1s,2,5s,0.1,9"))
        .hasMessageContaining("at most 4");
    assertThatThrownBy(() -> BackoffFormat.parse(" ")).hasMessageContaining("empty");
  }
}
