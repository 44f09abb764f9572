package io.sluice.storage.file.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.tck.ServiceStress;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The group committer follows the shared Service lifecycle and fails stop on a bad round. */
class GroupCommitterServiceTest {
  private static final Duration GENEROUS = Duration.ofMinutes(2);

  @Test
  void followsTheServiceLifecycle() {
    ServiceStress.of(() -> new GroupCommitter(new FailStop("test"), GENEROUS)).run();
  }

  @Test
  void oneRoundForcesEachRequestedFileOnce() {
    AtomicInteger forces = new AtomicInteger();
    Forceable file = forces::incrementAndGet;
    try (GroupCommitter c = new GroupCommitter(new FailStop("test"), GENEROUS)) {
      c.start();
      CompletableFuture<Void> round = c.request(file);
      c.await(round);
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
    try (GroupCommitter c = new GroupCommitter(failStop, GENEROUS)) {
      c.start();
      assertThatThrownBy(() -> c.await(c.request(broken)))
          .isInstanceOf(StorageFailedException.class);
      Forceable fine = () -> {};
      assertThatThrownBy(() -> c.await(c.request(fine))).isInstanceOf(StorageFailedException.class);
      assertThat(failStop.cause()).hasMessage("injected");
    }
  }

  /** Issue 10.4: an Error in a force used to kill the committer thread and hang its senders. */
  @Test
  void anErrorInAForceFailsTheRoundAndStopsTheStoreInsteadOfHanging() {
    FailStop failStop = new FailStop("test");
    Forceable broken =
        () -> {
          throw new InternalError("injected");
        };
    try (GroupCommitter c = new GroupCommitter(failStop, GENEROUS)) {
      c.start();
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              assertThatThrownBy(() -> c.await(c.request(broken)))
                  .isInstanceOf(StorageFailedException.class)
                  .hasMessageContaining("injected"));
      assertThat(failStop.cause()).isInstanceOf(InternalError.class);
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () ->
              assertThatThrownBy(() -> c.await(c.request(() -> {})))
                  .isInstanceOf(StorageFailedException.class));
    }
  }

  /** Issue 10.4: a sender waits for its round at most the round timeout, then the store fails. */
  @Test
  void aHungForceFailsItsSendersAfterTheTimeoutAndStopsTheStore() throws Exception {
    FailStop failStop = new FailStop("test");
    CountDownLatch release = new CountDownLatch(1);
    Forceable hung =
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    try (GroupCommitter c = new GroupCommitter(failStop, Duration.ofMillis(300))) {
      c.start();
      try {
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThatThrownBy(() -> c.await(c.request(hung)))
                    .isInstanceOf(StorageFailedException.class)
                    .hasMessageContaining("did not complete within PT0.3S"));
        assertThat(failStop.cause()).isNotNull();
      } finally {
        release.countDown();
      }
    }
  }

  @Test
  void requestsAfterCloseFailInsteadOfHanging() {
    GroupCommitter c = new GroupCommitter(new FailStop("test"), GENEROUS);
    c.start();
    c.close();
    assertThatThrownBy(() -> c.await(c.request(() -> {})))
        .isInstanceOf(StorageFailedException.class);
  }

  @Test
  void requestsMadeBeforeCloseAreStillForced() {
    AtomicInteger forces = new AtomicInteger();
    GroupCommitter c = new GroupCommitter(new FailStop("test"), GENEROUS);
    c.start();
    CompletableFuture<Void> round = c.request(forces::incrementAndGet);
    c.close();
    c.await(round);
    assertThat(forces.get()).isPositive();
  }
}
