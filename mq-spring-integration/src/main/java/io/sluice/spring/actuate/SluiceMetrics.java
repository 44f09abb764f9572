package io.sluice.spring.actuate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.api.Delivery;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.spring.core.SendListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the consumer runtime's hooks as Micrometer meters. Consumer meters are tagged with {@code
 * topic}, {@code group} and {@code listener.id} (the {@code @SluiceListener} id, or the group name
 * for a consumer group started without one) only: no partition, offset or message id, which would
 * explode the number of series. When a listener starts, its counters, in-flight gauge and {@code
 * sluice.errors} are registered at once, so they read 0 before the first event instead of being
 * absent.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code sluice.send}</td><td>timer</td><td>{@code topic}, {@code result} (success,
 *       failure)</td><td>{@link io.sluice.spring.core.SluiceTemplate} sends, until stored
 *       (only without observations: see below)</td></tr>
 *   <tr><td>{@code sluice.process}</td><td>timer</td><td>{@code topic}, {@code group}, {@code
 *       listener.id}, {@code result} (success, failure), {@code exception}</td><td>handler run
 *       time (only without observations: see below)</td></tr>
 *   <tr><td>{@code sluice.acks}</td><td>counter</td><td>{@code topic}, {@code group}, {@code
 *       listener.id}</td><td>messages processed</td></tr>
 *   <tr><td>{@code sluice.redeliveries}</td><td>counter</td><td>same</td><td>failures scheduled
 *       for a retry</td></tr>
 *   <tr><td>{@code sluice.dead.letters}</td><td>counter</td><td>same</td><td>messages moved to the
 *       dead-letter topic</td></tr>
 *   <tr><td>{@code sluice.duplicates.skipped}</td><td>counter</td><td>same</td><td>already
 *       processed idempotency keys, acked without the handler</td></tr>
 *   <tr><td>{@code sluice.stale.acks}</td><td>counter</td><td>same</td><td>settles rejected
 *       because the lease was lost</td></tr>
 *   <tr><td>{@code sluice.inflight}</td><td>gauge</td><td>same</td><td>deliveries handed out and
 *       not yet settled</td></tr>
 *   <tr><td>{@code sluice.consumer.lag}</td><td>gauge</td><td>same</td><td>messages of the topic
 *       the group has not yet done, summed over partitions (reported every {@code lagInterval});
 *       messages done out of order do not count, so one delayed or retrying message counts
 *       one</td></tr>
 *   <tr><td>{@code sluice.errors}</td><td>counter</td><td>{@code group}, {@code
 *       listener.id}</td><td>claim-loop or store failures the runtime retried</td></tr>
 * </table>
 *
 * <p><b>With observations</b> ({@code timers = false}, which the auto-configuration chooses when
 * the application has an {@code ObservationRegistry} and {@code sluice.observation.enabled} is
 * true), the {@code sluice.send} and {@code sluice.process} timers are made from the observations
 * by Micrometer's meter observation handler instead, with the observations' low-cardinality keys as
 * tags (see {@link io.sluice.observation.SluiceObservation}) plus {@code error}; this class then
 * records no timer of its own, so the two never clash on one name.
 */
public class SluiceMetrics implements ConsumerListener, SendListener {
  private final MeterRegistry registry;
  private final boolean timers;
  private final Map<Key, Meters> meters;
  private final Map<Key, Map<Integer, Long>> lag;
  private final Map<ErrorKey, Counter> errors;

  /** Whether these are one member's hooks (made by {@link #forMember}). */
  private final boolean member;

  /** The member's listener id; null (the unbound hooks) stands for the group name. */
  private final String listenerId;

  /** Records into {@code registry}, with the send and process timers. */
  public SluiceMetrics(MeterRegistry registry) {
    this(registry, true);
  }

  /**
   * Records into {@code registry}.
   *
   * @param timers whether to record the {@code sluice.send} and {@code sluice.process} timers
   *     (false when observations make them)
   */
  public SluiceMetrics(MeterRegistry registry, boolean timers) {
    this.registry = registry;
    this.timers = timers;
    this.meters = new ConcurrentHashMap<>();
    this.lag = new ConcurrentHashMap<>();
    this.errors = new ConcurrentHashMap<>();
    this.member = false;
    this.listenerId = null;
  }

  /** One member's hooks, recording into the meters of {@code metrics}. */
  private SluiceMetrics(SluiceMetrics metrics, String listenerId) {
    this.registry = metrics.registry;
    this.timers = metrics.timers;
    this.meters = metrics.meters;
    this.lag = metrics.lag;
    this.errors = metrics.errors;
    this.member = true;
    this.listenerId = listenerId;
  }

  private record Key(String topic, String group, String listenerId) {}

  private record ErrorKey(String group, String listenerId) {}

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
          .tags("topic", key.topic(), "group", key.group(), "listener.id", key.listenerId())
          .register(registry);
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name)
          .description(description)
          .tags("topic", key.topic(), "group", key.group(), "listener.id", key.listenerId())
          .register(registry);
    }
  }

  private Counter errors(String group, String listenerId) {
    return errors.computeIfAbsent(
        new ErrorKey(group, listenerId),
        k ->
            Counter.builder("sluice.errors")
                .description("claim-loop or store failures the runtime retried")
                .tags("group", k.group(), "listener.id", k.listenerId())
                .register(registry));
  }

  /**
   * The hooks of one member, tagged with its listener id; registers its counters, gauges and {@code
   * sluice.errors} now. On a member's hooks, those hooks themselves.
   */
  @Override
  public ConsumerListener forMember(String listenerId, GroupConfig config) {
    if (member) {
      return this;
    }
    SluiceMetrics bound = new SluiceMetrics(this, listenerId);
    errors(config.group(), listenerId);
    for (String topic : config.topics()) {
      meters.computeIfAbsent(new Key(topic, config.group(), listenerId), Meters::new);
    }
    return bound;
  }

  private String id(String group) {
    return listenerId != null ? listenerId : group;
  }

  private Meters of(Delivery d) {
    return meters.computeIfAbsent(new Key(d.topic(), d.group(), id(d.group())), Meters::new);
  }

  private void settled(Delivery d) {
    of(d).inflight.decrementAndGet();
  }

  @Override
  public void onDelivered(Delivery delivery) {
    of(delivery).inflight.incrementAndGet();
  }

  @Override
  public void onHandled(Delivery delivery, Duration latency, Throwable failure) {
    if (!timers) {
      return;
    }
    Timer.builder("sluice.process")
        .description("time spent in the handler")
        .tags("topic", delivery.topic(), "group", delivery.group())
        .tag("listener.id", id(delivery.group()))
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
    Key key = new Key(topic, group, id(group));
    lag.computeIfAbsent(
            key,
            k -> {
              Map<Integer, Long> perPartition = new ConcurrentHashMap<>();
              Gauge.builder(
                      "sluice.consumer.lag",
                      perPartition,
                      m -> m.values().stream().mapToLong(Long::longValue).sum())
                  .description("messages not yet done, summed over partitions")
                  .tags("topic", topic, "group", group, "listener.id", k.listenerId())
                  .register(registry);
              return perPartition;
            })
        .put(partition, partitionLag);
  }

  @Override
  public void onError(String group, Throwable error) {
    errors(group, id(group)).increment();
  }

  @Override
  public void onSend(String topic, Duration latency, Throwable failure) {
    if (!timers) {
      return;
    }
    Timer.builder("sluice.send")
        .description("time until a sent message is stored")
        .tags("topic", topic, "result", failure == null ? "success" : "failure")
        .register(registry)
        .record(latency);
  }
}
