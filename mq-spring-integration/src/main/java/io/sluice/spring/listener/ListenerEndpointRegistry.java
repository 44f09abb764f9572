package io.sluice.spring.listener;

import io.sluice.Sluice;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerGroupBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The listeners of the application, each a consumer group member started from a {@link
 * ListenerEndpoint}. As a {@link SmartLifecycle} it starts the auto-startup listeners once the
 * context has been refreshed and stops them all, in parallel and within the shutdown timeout, when
 * it closes; in between, listeners can be paused, resumed, stopped and started by id.
 *
 * <pre>{@code
 * registry.pause("billing");    // stop claiming; running handlers finish
 * registry.resume("billing");
 * }</pre>
 *
 * Thread-safe.
 */
public final class ListenerEndpointRegistry implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ListenerEndpointRegistry.class);

  /** Started late and stopped early, after and before the beans the listeners use. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

  private final Sluice sluice;
  private final ListenerDefaults defaults;
  private final BiConsumer<String, ConsumerGroupBuilder> customizer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, ListenerEndpoint> endpoints = new LinkedHashMap<>();
  private final Map<String, ConsumerGroup> running = new LinkedHashMap<>();
  private final Map<String, RuntimeException> failures = new LinkedHashMap<>();
  private final ListenerTransactions transactions;
  private boolean started;

  /**
   * A registry starting listeners on {@code sluice}.
   *
   * @param customizer applied to each listener's builder before it starts (id, builder)
   */
  public ListenerEndpointRegistry(
      Sluice sluice,
      ListenerDefaults defaults,
      BiConsumer<String, ConsumerGroupBuilder> customizer) {
    this(sluice, defaults, customizer, ListenerTransactions.NONE);
  }

  /**
   * A registry starting listeners on {@code sluice}, running transactional listeners through {@code
   * transactions}.
   *
   * @param customizer applied to each listener's builder before it starts (id, builder)
   */
  public ListenerEndpointRegistry(
      Sluice sluice,
      ListenerDefaults defaults,
      BiConsumer<String, ConsumerGroupBuilder> customizer,
      ListenerTransactions transactions) {
    this.sluice = sluice;
    this.defaults = defaults;
    this.customizer = customizer;
    this.transactions = transactions;
  }

  /**
   * Adds a listener; when the registry is already running and the listener starts automatically, it
   * starts now.
   *
   * @throws IllegalStateException when the id is taken
   */
  public void register(ListenerEndpoint endpoint) {
    boolean startNow;
    lock.lock();
    try {
      if (endpoints.containsKey(endpoint.id())) {
        throw new IllegalStateException(
            "duplicate listener id \""
                + endpoint.id()
                + "\": "
                + endpoints.get(endpoint.id()).description()
                + " and "
                + endpoint.description());
      }
      endpoints.put(endpoint.id(), endpoint);
      startNow = started && autoStartup(endpoint);
    } finally {
      lock.unlock();
    }
    if (startNow) {
      start(endpoint.id());
    }
  }

  /** The ids of every registered listener, in registration order. */
  public List<String> ids() {
    return locked(() -> List.copyOf(endpoints.keySet()));
  }

  /** The listener with this id, if registered. */
  public Optional<ListenerEndpoint> endpoint(String id) {
    return locked(() -> Optional.ofNullable(endpoints.get(id)));
  }

  /** The running consumer group member of a listener, if it is running. */
  public Optional<ConsumerGroup> group(String id) {
    return locked(() -> Optional.ofNullable(running.get(id)));
  }

  /**
   * Starts one listener (a no-op when it runs already). A failure is thrown, and remembered as the
   * listener's state ({@link ListenerState#FAILED}) until it starts or stops.
   */
  public void start(String id) {
    ListenerEndpoint endpoint = require(id);
    lock.lock();
    try {
      if (!running.containsKey(id)) {
        try {
          running.put(id, startMember(endpoint));
          failures.remove(id);
        } catch (RuntimeException e) {
          failures.put(id, e);
          throw e;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The listener's state: running, paused, stopped, or failed. */
  public ListenerState state(String id) {
    require(id);
    return locked(
        () -> {
          ConsumerGroup group = running.get(id);
          if (group == null) {
            return failures.containsKey(id) ? ListenerState.FAILED : ListenerState.STOPPED;
          }
          if (!group.isRunning()) {
            return ListenerState.FAILED; // closed without the registry asking
          }
          return group.isPaused() ? ListenerState.PAUSED : ListenerState.RUNNING;
        });
  }

  /** Why the listener's last start failed, if it did and has not started or stopped since. */
  public Optional<RuntimeException> failure(String id) {
    require(id);
    return locked(() -> Optional.ofNullable(failures.get(id)));
  }

  /** Stops one listener, waiting up to the shutdown timeout for its running handlers. */
  public void stop(String id) {
    require(id);
    ConsumerGroup group;
    lock.lock();
    try {
      group = running.remove(id);
      failures.remove(id);
    } finally {
      lock.unlock();
    }
    if (group != null) {
      group.close(defaults.shutdownTimeout());
    }
  }

  /** Stops claiming for one listener; its running handlers finish. */
  public void pause(String id) {
    runningGroup(id).pause();
  }

  /** Claims again for a paused listener. */
  public void resume(String id) {
    runningGroup(id).resume();
  }

  /** Whether the listener is running (possibly paused). */
  public boolean isRunning(String id) {
    require(id);
    return group(id).map(ConsumerGroup::isRunning).orElse(false);
  }

  /** Whether the listener is running and paused. */
  public boolean isPaused(String id) {
    require(id);
    return group(id).map(ConsumerGroup::isPaused).orElse(false);
  }

  /** What {@code read} returns, read under the registry's lock. */
  private <T> T locked(Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  private ConsumerGroup runningGroup(String id) {
    require(id);
    return group(id)
        .orElseThrow(() -> new IllegalStateException("listener \"" + id + "\" is not running"));
  }

  private ListenerEndpoint require(String id) {
    return endpoint(id)
        .orElseThrow(
            () -> new IllegalArgumentException("no listener with id \"" + id + "\"; ids " + ids()));
  }

  private boolean autoStartup(ListenerEndpoint e) {
    return e.autoStartup() != null ? e.autoStartup() : defaults.autoStartup();
  }

  private ConsumerGroup startMember(ListenerEndpoint e) {
    for (String topic : e.topics()) {
      ensureTopic(e, topic);
    }
    ConsumerGroupBuilder builder =
        sluice.consumer(e.group()).subscribe(e.topics().toArray(String[]::new)).listenerId(e.id());
    handler(e, builder);
    e.applyTo(builder, defaults);
    customizer.accept(e.id(), builder);
    ConsumerGroup group = builder.start();
    log.info(
        "Started listener {} ({}): group {} on {}", e.id(), e.description(), e.group(), e.topics());
    return group;
  }

  /** The handler of the four kinds that fits the endpoint. */
  private void handler(ListenerEndpoint e, ConsumerGroupBuilder builder) {
    if (e.isTransactional() && e.isBatch()) {
      builder.transactionalBatchHandler(
          (batch, tx) -> transactions.run(tx, () -> e.batchHandler().handle(batch)));
    } else if (e.isTransactional()) {
      builder.transactionalHandler((d, tx) -> transactions.run(tx, () -> e.handler().handle(d)));
    } else if (e.isBatch()) {
      builder.batchHandler(e.batchHandler());
    } else {
      builder.handler(e.handler());
    }
  }

  private void ensureTopic(ListenerEndpoint e, String topic) {
    try {
      sluice.admin().describeTopic(topic);
    } catch (TopicNotFoundException notFound) {
      if (!defaults.createMissingTopics()) {
        throw new InvalidConfigException(
            "listener "
                + e.id()
                + " subscribes topic "
                + topic
                + ", which does not exist; create it (sluice.topics."
                + topic
                + ".partitions) or set sluice.listener.create-missing-topics=true");
      }
      sluice.admin().createTopic(topic, defaults.missingTopicConfig());
      log.info("Created topic {} for listener {}", topic, e.id());
    }
  }

  @Override
  public void start() {
    List<String> toStart = new ArrayList<>();
    lock.lock();
    try {
      if (started) {
        return;
      }
      started = true;
      endpoints.values().stream().filter(this::autoStartup).forEach(e -> toStart.add(e.id()));
    } finally {
      lock.unlock();
    }
    toStart.forEach(this::start);
  }

  @Override
  public void stop() {
    List<ConsumerGroup> groups;
    lock.lock();
    try {
      started = false;
      groups = List.copyOf(running.values());
      running.clear();
    } finally {
      lock.unlock();
    }
    closeAll(groups, defaults.shutdownTimeout());
  }

  private static void closeAll(List<ConsumerGroup> groups, Duration timeout) {
    List<Thread> closers = new ArrayList<>(groups.size());
    for (ConsumerGroup g : groups) {
      closers.add(
          Thread.ofVirtual().name("sluice-close-" + g.name()).start(() -> g.close(timeout)));
    }
    long deadline = System.nanoTime() + timeout.toNanos() + Duration.ofSeconds(5).toNanos();
    for (Thread t : closers) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Duration.ofNanos(left));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public boolean isRunning() {
    return locked(() -> started);
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
