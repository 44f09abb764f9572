package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.tck.InMemoryStorage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link Sluice#close()} shuts its groups down together. */
class SluiceCloseTest {
  @Test
  void closeWaitsForTheSlowestGroupNotForTheSumOfThem() {
    InMemoryStorage storage = new InMemoryStorage(InstantSource.system());
    Sluice sluice = Sluice.builder().storage(storage).closeStorage(true).build();
    CountDownLatch started = new CountDownLatch(3);
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 3; i++) {
      sluice.admin().createTopic("t" + i, TopicConfig.defaults());
      sluice.producer().send("t" + i, Message.of("stuck " + i));
      sluice
          .consumer("g" + i)
          .subscribe("t" + i)
          .pollInterval(Duration.ofMillis(5))
          .shutdownTimeout(Duration.ofSeconds(2))
          .handler(
              d -> {
                started.countDown();
                never.await(); // ends only by the interrupt after the shutdown timeout
              })
          .start();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> started.getCount() == 0);
    long t0 = System.nanoTime();
    sluice.close();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    // Each group waits its 2 s for the stuck handler; one after another would take over 6 s.
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("sluice-g") && t.isAlive());
  }
}
