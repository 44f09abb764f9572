package io.sluice.storage.file.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.tck.ServiceStress;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The group committer follows the shared Service lifecycle and fails stop on a bad force. */
class GroupCommitterServiceTest {
  @Test
  void followsTheServiceLifecycle() {
    ServiceStress.of(() -> new GroupCommitter(new FailStop("test"))).run();
  }

  @Test
  void oneRoundForcesEachRequestedFileOnce() {
    AtomicInteger forces = new AtomicInteger();
    Forceable file = forces::incrementAndGet;
    try (GroupCommitter c = new GroupCommitter(new FailStop("test"))) {
      c.start();
      CompletableFuture<Void> round = c.request(file);
      GroupCommitter.await(round);
      assertThat(forces.get()).isBetween(1, 2);
    }
  }

  @Test
  void aFailedForceFailsItsRoundAndEveryLaterOne() {
    FailStop failStop = new FailStop("test");
    Forceable broken =
        () -> {
          throw new IOException("injected");
        };
    try (GroupCommitter c = new GroupCommitter(failStop)) {
      c.start();
      assertThatThrownBy(() -> GroupCommitter.await(c.request(broken)))
          .isInstanceOf(StorageFailedException.class);
      Forceable fine = () -> {};
      assertThatThrownBy(() -> GroupCommitter.await(c.request(fine)))
          .isInstanceOf(StorageFailedException.class);
      assertThat(failStop.cause()).hasMessage("injected");
    }
  }

  @Test
  void requestsAfterCloseFailInsteadOfHanging() {
    GroupCommitter c = new GroupCommitter(new FailStop("test"));
    c.start();
    c.close();
    assertThatThrownBy(() -> GroupCommitter.await(c.request(() -> {})))
        .isInstanceOf(StorageFailedException.class);
  }
}
