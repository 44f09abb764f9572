package io.sluice.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ProducerConfig;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spi.tck.ServiceStress;
import io.sluice.spi.tck.SettableClock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every background loop of the runtime through the shared lifecycle stress fixture. */
class ServiceLifecycleTest {
  private final SettableClock clock = new SettableClock();
  private final InMemoryStorage storage = new InMemoryStorage(clock);
  private final GroupConfig config = GroupConfig.defaults("g", List.of("t"));
  private final Set<InFlight> tracked = ConcurrentHashMap.newKeySet();

  ServiceLifecycleTest() {
    storage.createTopic("t", TopicConfig.partitions(2));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void ackBatcher() {
    ServiceStress.of(() -> new AckBatcher(storage, "g")).run();
  }

  @Test
  void leaseKeeper() {
    ServiceStress.of(
            () ->
                new LeaseKeeper(
                    storage, "g", config.lease(), clock, ConsumerListener.NONE, tracked))
        .run();
  }

  @Test
  void groupRunner() {
    ServiceStress.of(
            () ->
                new GroupRunner(
                    storage,
                    config,
                    ConsumerListener.NONE,
                    new Semaphore(4),
                    "m",
                    clock,
                    () -> 0,
                    (lease, at) -> {}))
        .run();
  }

  @Test
  void producerBatcher() {
    ServiceStress.of(() -> new ProducerBatcher(storage, ProducerConfig.DEFAULT, p -> {})).run();
  }

  @Test
  void groupMember() {
    ServiceStress.of(
            () -> new GroupMember(storage, config, clock, ConsumerListener.NONE, d -> {}, null))
        .run();
  }

  @Test
  void closedAckBatcherFailsNewAcksInsteadOfLosingThem() {
    AckBatcher batcher = new AckBatcher(storage, "g");
    batcher.close();
    assertThat(batcher.ack(io.sluice.spi.Ack.of(new io.sluice.spi.DeliveryId("t", 0, 0, 1))))
        .isCompletedExceptionally();
  }
}
