package io.sluice.spring.actuate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.api.Delivery;
import io.sluice.consumer.ConsumerListener;
import io.sluice.spring.core.SendListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the consumer runtime's hooks as Micrometer meters. Every meter is tagged with {@code
 * topic} and {@code group} only (no partition, offset or message id: they would explode the number
 * of series).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>extra tags</th><th>what</th></tr>
 *   <tr><td>{@code sluice.send}</td><td>timer</td><td>{@code topic}, {@code result} (success,
 *       failure) only</td><td>{@link io.sluice.spring.core.SluiceTemplate} sends, until
 *       stored</td></tr>
 *   <tr><td>{@code sluice.process}</td><td>timer</td><td>{@code result} (success, failure),
 *       {@code exception}</td><td>handler run time</td></tr>
 *   <tr><td>{@code sluice.acks}</td><td>counter</td><td></td><td>messages processed</td></tr>
 *   <tr><td>{@code sluice.redeliveries}</td><td>counter</td><td></td><td>failures scheduled for a
 *       retry</td></tr>
 *   <tr><td>{@code sluice.dead.letters}</td><td>counter</td><td></td><td>messages moved to the
 *       dead-letter topic</td></tr>
 *   <tr><td>{@code sluice.duplicates.skipped}</td><td>counter</td><td></td><td>already processed
 *       idempotency keys, acked without the handler</td></tr>
 *   <tr><td>{@code sluice.stale.acks}</td><td>counter</td><td></td><td>settles rejected because the
 *       lease was lost</td></tr>
 *   <tr><td>{@code sluice.inflight}</td><td>gauge</td><td></td><td>deliveries handed out and not
 *       yet settled</td></tr>
 *   <tr><td>{@code sluice.consumer.lag}</td><td>gauge</td><td></td><td>messages not yet done,
 *       summed over partitions (reported periodically)</td></tr>
 *   <tr><td>{@code sluice.errors}</td><td>counter</td><td>{@code group} only</td><td>claim-loop or
 *       store failures the runtime retried</td></tr>
 * </table>
 */
public class SluiceMetrics implements ConsumerListener, SendListener {
  private final MeterRegistry registry;
  private final Map<Key, Meters> meters = new ConcurrentHashMap<>();
  private final Map<Key, Map<Integer, Long>> lag = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  /** Records into {@code registry}. */
  public SluiceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private record Key(String topic, String group) {}

  private final class Meters {
    final Counter acks;
    final Counter redeliveries;
    final Counter deadLetters;
    final Counter duplicates;
    final Counter staleAcks;
    final AtomicLong inflight = new AtomicLong();
    final Key key;

    Meters(Key key) {
      this.key = key;
      acks = counter("sluice.acks", "messages processed and acknowledged");
      redeliveries = counter("sluice.redeliveries", "failed deliveries scheduled for a retry");
      deadLetters = counter("sluice.dead.letters", "messages moved to the dead-letter topic");
      duplicates =
          counter("sluice.duplicates.skipped", "already processed keys acked without the handler");
      staleAcks = counter("sluice.stale.acks", "settles rejected because the lease was lost");
      Gauge.builder("sluice.inflight", inflight, AtomicLong::get)
          .description("deliveries handed out and not yet settled")
          .tags("topic", key.topic(), "group", key.group())
          .register(registry);
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name)
          .description(description)
          .tags("topic", key.topic(), "group", key.group())
          .register(registry);
    }
  }

  private Meters of(Delivery d) {
    return meters.computeIfAbsent(new Key(d.topic(), d.group()), Meters::new);
  }

  private void settled(Delivery d) {
    of(d).inflight.decrementAndGet();
  }

  @Override
  public void onSend(String topic, Duration latency, Throwable failure) {
    Timer.builder("sluice.send")
        .description("time until a sent message is stored")
        .tags("topic", topic, "result", failure == null ? "success" : "failure")
        .register(registry)
        .record(latency);
  }

  @Override
  public void onDelivered(Delivery delivery) {
    of(delivery).inflight.incrementAndGet();
  }

  @Override
  public void onHandled(Delivery delivery, Duration latency, Throwable failure) {
    Timer.builder("sluice.process")
        .description("time spent in the handler")
        .tags("topic", delivery.topic(), "group", delivery.group())
        .tag("result", failure == null ? "success" : "failure")
        .tag("exception", failure == null ? "none" : failure.getClass().getSimpleName())
        .register(registry)
        .record(latency);
  }

  @Override
  public void onAcked(Delivery delivery) {
    of(delivery).acks.increment();
    settled(delivery);
  }

  @Override
  public void onRetried(Delivery delivery, Duration delay, Throwable failure) {
    of(delivery).redeliveries.increment();
    settled(delivery);
  }

  @Override
  public void onDeferred(Delivery delivery, Duration delay) {
    settled(delivery);
  }

  @Override
  public void onDeadLettered(
      Delivery delivery, String deadLetterTopic, String reason, Throwable failure) {
    of(delivery).deadLetters.increment();
    settled(delivery);
  }

  @Override
  public void onDuplicateSkipped(Delivery delivery) {
    of(delivery).duplicates.increment();
    settled(delivery);
  }

  @Override
  public void onRedriveSkipped(Delivery delivery) {
    settled(delivery);
  }

  @Override
  public void onReleased(Delivery delivery) {
    settled(delivery);
  }

  @Override
  public void onStaleAck(Delivery delivery) {
    of(delivery).staleAcks.increment();
    settled(delivery);
  }

  @Override
  public void onLag(String group, String topic, int partition, long partitionLag) {
    Key key = new Key(topic, group);
    lag.computeIfAbsent(
            key,
            k -> {
              Map<Integer, Long> perPartition = new ConcurrentHashMap<>();
              Gauge.builder(
                      "sluice.consumer.lag",
                      perPartition,
                      m -> m.values().stream().mapToLong(Long::longValue).sum())
                  .description("messages not yet done, summed over partitions")
                  .tags("topic", topic, "group", group)
                  .register(registry);
              return perPartition;
            })
        .put(partition, partitionLag);
  }

  @Override
  public void onError(String group, Throwable error) {
    errors
        .computeIfAbsent(
            group,
            g ->
                Counter.builder("sluice.errors")
                    .description("claim-loop or store failures the runtime retried")
                    .tag("group", g)
                    .register(registry))
        .increment();
  }
}
