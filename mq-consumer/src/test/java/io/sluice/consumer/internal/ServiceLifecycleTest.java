package io.sluice.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ProducerConfig;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.api.error.StorageClosedException;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.spi.DeliveryId;
import io.sluice.spi.Lease;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.tck.InMemoryStorage;
import io.sluice.spi.tck.ServiceStress;
import io.sluice.spi.tck.SettableClock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every background loop of the runtime through the shared lifecycle stress fixture. */
class ServiceLifecycleTest {
  private final SettableClock clock = new SettableClock();
  private final InMemoryStorage storage = new InMemoryStorage(clock);
  private final GroupConfig config = GroupConfig.defaults("g", List.of("t"));

  ServiceLifecycleTest() {
    storage.createTopic("t", TopicConfig.partitions(2));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private MemberContext context(AckBatcher acks, ConsumerListener listener) {
    Settler settler = new Settler(storage, config, clock, listener, acks);
    return new MemberContext(
        config, storage, clock, listener, settler, d -> {}, null, false, null, Observations.NONE);
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
                    storage, config, clock, ConsumerListener.NONE, new InFlight(), t -> {}))
        .run();
  }

  @Test
  void claimLoop() {
    ServiceStress.of(
            () -> {
              AckBatcher acks = new AckBatcher(storage, "g");
              MemberContext context = context(acks, ConsumerListener.NONE);
              StartGate gate =
                  new StartGate(
                      storage, "g", config.retry(), clock, context.listener(), context.settler());
              Dispatcher dispatcher = new Dispatcher(config, gate, n -> {});
              return new ClaimLoop(context, new InFlight(), dispatcher, "m", () -> 0);
            })
        .run();
  }

  @Test
  void producerBatcher() {
    ServiceStress.of(() -> new ProducerBatcher(storage, ProducerConfig.DEFAULT, p -> {})).run();
  }

  @Test
  void groupMember() {
    ServiceStress.of(
            () ->
                new GroupMember(
                    storage,
                    config,
                    clock,
                    ConsumerListener.NONE,
                    d -> {},
                    null,
                    null,
                    null,
                    Observations.NONE.forListener(config.group())))
        .run();
  }

  @Test
  void closedAckBatcherFailsNewAcksInsteadOfLosingThem() {
    AckBatcher batcher = new AckBatcher(storage, "g");
    AtomicInteger errors = new AtomicInteger();
    MemberContext context =
        context(
            batcher,
            new ConsumerListener() {
              @Override
              public void onError(String group, Throwable error) {
                errors.incrementAndGet();
              }
            });
    Lease lease =
        new Lease(
            new DeliveryId("t", 0, 0, 1),
            new StoredMessage("t", 0, 0, Message.of("x")),
            1,
            clock.instant().plusSeconds(30),
            clock.instant());
    DeliveryTask task =
        new DeliveryTask(context, lease, new Claimed(new InFlight()), lease.expiresAt());
    batcher.close();
    batcher.add(task, true);
    assertThat(task.awaitAck()).isEqualTo(DeliveryTask.ACK_FAILED);
    assertThat(task.ackError()).isInstanceOf(StorageClosedException.class);
    assertThat(errors.get()).isEqualTo(1);
  }
}
