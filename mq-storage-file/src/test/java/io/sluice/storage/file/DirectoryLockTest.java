package io.sluice.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.error.StorageLockedException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F10: one store per directory, across threads and processes. */
class DirectoryLockTest {
  @TempDir Path dir;

  private FileStorage open() {
    return FileStorage.open(FileStorageConfig.builder(dir).build());
  }

  @Test
  void secondOpenerInTheSameJvmGetsStorageLockedExceptionNamingTheLockFile() {
    try (FileStorage first = open()) {
      assertThatThrownBy(this::open)
          .isInstanceOfSatisfying(
              StorageLockedException.class,
              e -> assertThat(e.lockFile()).isEqualTo(dir.resolve("LOCK")));
      assertThat(first.health().healthy()).as("the holder keeps its lock").isTrue();
      assertThatThrownBy(this::open).isInstanceOf(StorageLockedException.class);
    }
    try (FileStorage again = open()) {
      assertThat(again.health().healthy()).isTrue();
    }
  }

  @Test
  void secondOpenerInAnotherJvmIsRefusedAndOpensAfterTheHolderIsKilled() throws Exception {
    try (ChildJvm holder = new ChildJvm("hold", dir.toString())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> holder.lines.contains("OPEN"));
      assertThatThrownBy(this::open)
          .isInstanceOfSatisfying(
              StorageLockedException.class,
              e -> {
                assertThat(e.lockFile()).isEqualTo(dir.resolve("LOCK"));
                assertThat(e.getMessage()).contains(dir.resolve("LOCK").toString());
              });
      holder.kill();
    }
    try (FileStorage after = open()) {
      assertThat(after.health().healthy()).isTrue();
    }
  }
}
