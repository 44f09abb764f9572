package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.TOPIC;
import static io.sluice.storage.file.StoreFixture.batch;
import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static io.sluice.storage.file.StoreFixture.withTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.ClaimRequest;
import io.sluice.spi.PauseRequest;
import io.sluice.spi.tck.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pauses live in {@code <store>/pauses}, replaced atomically: crashes and bad files. */
class PauseFileTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock();

  private static int claimed(FileStorage s, String group) {
    return s.claim(ClaimRequest.of(group, TOPIC, 10, Duration.ofMinutes(1))).size();
  }

  @Test
  void pausesSurviveACrashAndAResumeIsDurableToo() {
    try (FileStorage s = withTopic(open(config(dir, clock)))) {
      batch(s, 0, 2);
      s.pause(new PauseRequest("g", TOPIC, true));
      s.pause(new PauseRequest("h", null, true));
      s.pause(new PauseRequest("k", TOPIC, true));
      s.pause(new PauseRequest("k", TOPIC, false));
      s.abandon();
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.isPaused("g", TOPIC)).isTrue();
      assertThat(s.isPaused("g", null)).isFalse();
      assertThat(s.isPaused("h", "any")).isTrue();
      assertThat(s.isPaused("k", TOPIC)).isFalse();
      assertThat(claimed(s, "g")).isZero();
      assertThat(claimed(s, "h")).isZero();
      assertThat(claimed(s, "k")).isEqualTo(2);
      s.pause(new PauseRequest("h", null, false));
      s.abandon();
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.isPaused("h", TOPIC)).isFalse();
      assertThat(s.isPaused("g", TOPIC)).isTrue();
    }
  }

  @Test
  void aFailedPauseWriteFailsTheStoreAndChangesNothing() {
    FaultyIo io = new FaultyIo();
    try (FileStorage s = withTopic(open(config(dir, clock), io))) {
      io.failMove = p -> p.getFileName().toString().equals("pauses");
      assertThatThrownBy(() -> s.pause(new PauseRequest("g", TOPIC, true)))
          .isInstanceOf(StorageFailedException.class);
      assertThat(s.isPaused("g", TOPIC)).isFalse();
      assertThat(s.health().healthy()).isFalse();
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.isPaused("g", TOPIC)).isFalse();
      assertThat(s.health().healthy()).isTrue();
    }
  }

  @Test
  void aDamagedPausesFileIsReportedNotIgnored() throws IOException {
    try (FileStorage s = withTopic(open(config(dir, clock)))) {
      s.pause(new PauseRequest("g", TOPIC, true));
    }
    Path file = dir.resolve("pauses");
    StoreFixture.flip(file, 17);
    assertThatThrownBy(() -> open(config(dir, clock)))
        .isInstanceOfSatisfying(
            StorageCorruptedException.class, e -> assertThat(e.file()).isEqualTo(file));
  }

  @Test
  void aTempFileLeftByACrashMidWriteIsIgnored() throws IOException {
    try (FileStorage s = withTopic(open(config(dir, clock)))) {
      s.pause(new PauseRequest("g", TOPIC, true));
    }
    Files.writeString(dir.resolve("pauses.tmp"), "sluice-pauses 1\nhalf a");
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.isPaused("g", TOPIC)).isTrue();
      assertThat(s.isPaused("half", "a")).isFalse();
    }
    assertThat(dir.resolve("pauses.tmp")).doesNotExist();
  }
}
