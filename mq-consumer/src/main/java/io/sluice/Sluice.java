package io.sluice;

import io.micrometer.observation.ObservationRegistry;
import io.sluice.api.Producer;
import io.sluice.api.internal.Threads;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerGroupBuilder;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.internal.BatchingProducer;
import io.sluice.consumer.internal.Observations;
import io.sluice.observation.SluiceProcessObservationConvention;
import io.sluice.observation.SluiceSendObservationConvention;
import io.sluice.spi.Storage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: producers, consumer groups and an admin view over one {@link Storage}.
 *
 * <pre>{@code
 * try (Sluice sluice = Sluice.builder().storage(storage).build()) {
 *   sluice.admin().createTopic("orders", TopicConfig.partitions(4));
 *   sluice.producer().send("orders", Message.builder("...").key("c-7").build());
 *   ConsumerGroup g = sluice.consumer("billing")
 *       .subscribe("orders")
 *       .handler(delivery -> pay(delivery.payloadAsString()))
 *       .start();
 * }
 * }</pre>
 *
 * {@link #close()} closes every consumer group and producer this object made (groups first, all at
 * once, each within its shutdown timeout), and the storage only when {@link
 * Builder#closeStorage(boolean)} says so. Thread-safe.
 */
public final class Sluice implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sluice.class);

  private final Storage storage;
  private final InstantSource clock;
  private final ConsumerListener listener;
  private final ProducerConfig producerConfig;
  private final boolean closeStorage;
  private final Observations observations;
  private final SluiceAdmin admin;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<ConsumerGroup> groups = new ArrayList<>();
  private final List<Producer> producers = new ArrayList<>();
  private Producer producer;
  private boolean closed;

  private Sluice(Builder b) {
    this.storage = b.storage;
    this.clock = b.clock;
    this.listener = b.listener;
    this.producerConfig = b.producerConfig;
    this.closeStorage = b.closeStorage;
    this.observations =
        new Observations(b.observationRegistry, b.sendConvention, b.processConvention, null);
    this.admin = SluiceAdmin.create(storage, clock);
  }

  /** A builder; {@link Builder#storage(Storage)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The shared producer (made on first use with the builder's {@link ProducerConfig}). */
  public Producer producer() {
    lock.lock();
    try {
      ensureOpen();
      if (producer == null) {
        producer = newProducerLocked(producerConfig);
      }
      return producer;
    } finally {
      lock.unlock();
    }
  }

  /** A new producer with its own batching and buffer; closed with this object. */
  public Producer newProducer(ProducerConfig config) {
    Validation.required("config", config);
    lock.lock();
    try {
      ensureOpen();
      return newProducerLocked(config);
    } finally {
      lock.unlock();
    }
  }

  private Producer newProducerLocked(ProducerConfig config) {
    Producer p = new BatchingProducer(storage, config, clock, observations);
    producers.add(p);
    return p;
  }

  /**
   * A builder for a member of consumer group {@code group}, with this object's clock, listener and
   * observation settings; the started member is closed with this object.
   */
  public ConsumerGroupBuilder consumer(String group) {
    ensureOpen();
    return ConsumerGroup.builder(group, storage)
        .clock(clock)
        .listener(listener)
        .observationRegistry(observations.registry())
        .sendObservationConvention(observations.sendConvention())
        .processObservationConvention(observations.processConvention())
        .onStart(this::register);
  }

  private void register(ConsumerGroup group) {
    lock.lock();
    try {
      if (!closed) {
        groups.add(group);
        return;
      }
    } finally {
      lock.unlock();
    }
    group.close(java.time.Duration.ZERO);
    throw new io.sluice.api.error.StorageClosedException("sluice");
  }

  /** Topics, groups, lag and dead-letter operations. */
  public SluiceAdmin admin() {
    return admin;
  }

  /** The storage underneath. */
  public Storage storage() {
    return storage;
  }

  /** The time source. */
  public InstantSource clock() {
    return clock;
  }

  /** The consumer group members started through this object and not yet closed by it. */
  public List<ConsumerGroup> groups() {
    lock.lock();
    try {
      return List.copyOf(groups);
    } finally {
      lock.unlock();
    }
  }

  private void ensureOpen() {
    lock.lock();
    try {
      if (closed) {
        throw new io.sluice.api.error.StorageClosedException("sluice");
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the groups (all at once, so the whole takes about the longest group's shutdown timeout,
   * not their sum), then the producers, then (if configured) the storage. Idempotent.
   */
  @Override
  public void close() {
    List<ConsumerGroup> toClose;
    List<Producer> producersToClose;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      toClose = List.copyOf(groups);
      producersToClose = List.copyOf(producers);
      groups.clear();
      producers.clear();
    } finally {
      lock.unlock();
    }
    closeConcurrently(toClose);
    producersToClose.forEach(Producer::close);
    if (closeStorage) {
      storage.close();
    }
  }

  private static void closeConcurrently(List<ConsumerGroup> toClose) {
    List<Thread> closing = new ArrayList<>(toClose.size());
    for (ConsumerGroup g : toClose) {
      closing.add(
          Thread.ofVirtual()
              .name("sluice-close-" + g.name())
              .start(
                  () -> {
                    try {
                      g.close();
                    } catch (RuntimeException e) {
                      LOG.warn("closing consumer group {} failed", g.name(), e);
                    }
                  }));
    }
    Threads.joinUninterruptibly(closing);
  }

  /** Builds a {@link Sluice}. */
  public static final class Builder {
    private Storage storage;
    private InstantSource clock = InstantSource.system();
    private ConsumerListener listener = ConsumerListener.NONE;
    private ProducerConfig producerConfig = ProducerConfig.DEFAULT;
    private boolean closeStorage;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private SluiceSendObservationConvention sendConvention;
    private SluiceProcessObservationConvention processConvention;

    private Builder() {}

    /** The store (required). */
    public Builder storage(Storage storage) {
      this.storage = Validation.required("storage", storage);
      return this;
    }

    /**
     * The time source of the consumer groups' own bookkeeping: lease ends tracked in the member,
     * {@code maxHandlerTime}, dead-letter failure times and latencies (default the system clock).
     * Visibility is the store's: retry delays and leases are measured on the store's clock, so the
     * two may differ (a database clock) without shortening or lengthening a backoff.
     */
    public Builder clock(InstantSource clock) {
      this.clock = Validation.required("clock", clock);
      return this;
    }

    /** The default metrics hooks of every consumer group (default none). */
    public Builder listener(ConsumerListener listener) {
      this.listener = Validation.required("listener", listener);
      return this;
    }

    /** The configuration of {@link Sluice#producer()} (default {@link ProducerConfig#DEFAULT}). */
    public Builder producerConfig(ProducerConfig config) {
      this.producerConfig = Validation.required("producerConfig", config);
      return this;
    }

    /**
     * Where sends and handler runs are observed (Micrometer Observation: {@code sluice.send} and
     * {@code sluice.process}, see {@link io.sluice.observation.SluiceObservation}); with a tracing
     * handler, the W3C trace context travels in the message headers. Default {@link
     * ObservationRegistry#NOOP}: nothing is observed and sends and deliveries take their plain
     * path.
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observationRegistry = Validation.required("observationRegistry", registry);
      return this;
    }

    /** A custom convention for {@code sluice.send} observations, or null for the default. */
    public Builder sendObservationConvention(SluiceSendObservationConvention convention) {
      this.sendConvention = convention;
      return this;
    }

    /** A custom convention for {@code sluice.process} observations, or null for the default. */
    public Builder processObservationConvention(SluiceProcessObservationConvention convention) {
      this.processConvention = convention;
      return this;
    }

    /** Whether {@link Sluice#close()} also closes the storage (default false: you opened it). */
    public Builder closeStorage(boolean closeStorage) {
      this.closeStorage = closeStorage;
      return this;
    }

    /**
     * Builds it.
     *
     * @throws io.sluice.api.error.InvalidConfigException when no storage was given
     */
    public Sluice build() {
      if (storage == null) {
        throw new io.sluice.api.error.InvalidConfigException("Sluice needs a storage");
      }
      return new Sluice(this);
    }
  }
}
