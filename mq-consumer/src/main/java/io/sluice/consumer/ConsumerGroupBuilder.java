package io.sluice.consumer;

import io.micrometer.observation.ObservationRegistry;
import io.sluice.api.MessageHandler;
import io.sluice.api.error.InvalidConfigException;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.internal.GroupMember;
import io.sluice.consumer.internal.Observations;
import io.sluice.observation.SluiceProcessObservationConvention;
import io.sluice.observation.SluiceSendObservationConvention;
import io.sluice.spi.Storage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Configures and starts one member of a consumer group. Obtain it from {@link
 * io.sluice.Sluice#consumer(String)} or {@link ConsumerGroup#builder(String, Storage)}. The group
 * options are those of {@link GroupOptions}; this builder adds the topics, the handler, the clock,
 * the listener and {@link #start()}. Every setter checks its argument at once and throws {@link
 * InvalidConfigException} (or another {@link io.sluice.api.error.InvalidRequestException}); {@link
 * #start()} checks the whole configuration. Not thread-safe.
 */
public final class ConsumerGroupBuilder extends GroupOptions<ConsumerGroupBuilder> {
  private final String group;
  private final Storage storage;
  private final List<String> topics = new ArrayList<>();
  private InstantSource clock = InstantSource.system();
  private ConsumerListener listener = ConsumerListener.NONE;
  private MessageHandler handler;
  private TransactionalHandler transactionalHandler;
  private BatchHandler batchHandler;
  private TransactionalBatchHandler transactionalBatchHandler;
  private Consumer<? super ConsumerGroup> onStart = g -> {};
  private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
  private SluiceSendObservationConvention sendConvention;
  private SluiceProcessObservationConvention processConvention;
  private String listenerId;

  ConsumerGroupBuilder(String group, Storage storage) {
    this.group = Validation.group(group);
    this.storage = Validation.required("storage", storage);
  }

  @Override
  ConsumerGroupBuilder self() {
    return this;
  }

  /** Adds topics to consume. At least one is required. */
  public ConsumerGroupBuilder subscribe(String... topics) {
    for (String topic : topics) {
      this.topics.add(Validation.topic(topic));
    }
    return this;
  }

  /** The handler, acknowledged automatically unless {@link #manualAck()} is set. */
  public ConsumerGroupBuilder handler(MessageHandler handler) {
    this.handler = replacingHandlers(handler);
    return this;
  }

  /** Checks {@code handler} and clears every handler set before; returns it, to be set. */
  private <H> H replacingHandlers(H handler) {
    Validation.required("handler", handler);
    this.handler = null;
    transactionalHandler = null;
    batchHandler = null;
    transactionalBatchHandler = null;
    return handler;
  }

  /**
   * A handler called with batches of up to {@link #maxBatchSize} deliveries (see {@link
   * BatchHandler} for acks, failures and ordering). Replaces any handler set before.
   */
  public ConsumerGroupBuilder batchHandler(BatchHandler handler) {
    this.batchHandler = replacingHandlers(handler);
    return this;
  }

  /**
   * A batch handler that runs in one store transaction with the acks of its whole batch
   * (exactly-once database effects at one commit per batch on the JDBC backend; see {@link
   * TransactionalBatchHandler}). Implies automatic acks. Replaces any handler set before.
   */
  public ConsumerGroupBuilder transactionalBatchHandler(TransactionalBatchHandler handler) {
    this.transactionalBatchHandler = replacingHandlers(handler);
    return this;
  }

  /**
   * A handler that runs in the same store transaction as its ack (exactly-once database effects on
   * the JDBC backend). Implies automatic acks.
   */
  public ConsumerGroupBuilder transactionalHandler(TransactionalHandler handler) {
    this.transactionalHandler = replacingHandlers(handler);
    return this;
  }

  /**
   * Replaces every setting and the topics with those of {@code config}, whose group must be this
   * builder's.
   */
  public ConsumerGroupBuilder config(GroupConfig config) {
    Validation.required("config", config);
    if (!config.group().equals(group)) {
      throw new InvalidConfigException(
          "expected a config for group " + group + ", found " + config.group());
    }
    topics.clear();
    topics.addAll(config.topics());
    return options(config);
  }

  /**
   * The time source for leases, handler times and latencies (default the system clock). Retry and
   * lease times are measured by the store on its own clock.
   */
  public ConsumerGroupBuilder clock(InstantSource clock) {
    this.clock = Validation.required("clock", clock);
    return this;
  }

  /** The metrics hooks (default none). */
  public ConsumerGroupBuilder listener(ConsumerListener listener) {
    this.listener = Validation.required("listener", listener);
    return this;
  }

  /**
   * Where handler runs are observed ({@code sluice.process}, see {@link
   * io.sluice.observation.SluiceObservation}), and dead letters written (as {@code sluice.send});
   * default {@link ObservationRegistry#NOOP}: nothing observed.
   */
  public ConsumerGroupBuilder observationRegistry(ObservationRegistry registry) {
    this.observationRegistry = Validation.required("observationRegistry", registry);
    return this;
  }

  /** A custom convention for the {@code sluice.process} observations, or null for the default. */
  public ConsumerGroupBuilder processObservationConvention(
      SluiceProcessObservationConvention convention) {
    this.processConvention = convention;
    return this;
  }

  /**
   * A custom convention for the {@code sluice.send} observations of dead letters, or null for the
   * default.
   */
  public ConsumerGroupBuilder sendObservationConvention(
      SluiceSendObservationConvention convention) {
    this.sendConvention = convention;
    return this;
  }

  /**
   * The listener id reported in observations ({@code sluice.listener.id}) and to {@link
   * ConsumerListener#forMember} (default: the group name). Spring sets the listener's id.
   */
  public ConsumerGroupBuilder listenerId(String listenerId) {
    if (listenerId != null && listenerId.isBlank()) {
      throw new InvalidConfigException("listenerId must not be blank");
    }
    this.listenerId = listenerId;
    return this;
  }

  /**
   * Called with the member once started, before {@link #start()} returns; {@link io.sluice.Sluice}
   * uses it to close the members it made.
   */
  public ConsumerGroupBuilder onStart(Consumer<? super ConsumerGroup> hook) {
    this.onStart = Validation.required("hook", hook);
    return this;
  }

  /**
   * The configuration as set so far. A poll interval left unset takes the store's default ({@link
   * GroupConfig#defaultPollInterval}).
   */
  public GroupConfig toConfig() {
    return build(
        group, List.copyOf(topics), GroupConfig.defaultPollInterval(storage.capabilities()));
  }

  /**
   * Validates the configuration and starts the member.
   *
   * @throws InvalidConfigException when no topic or no handler is set, a setting is invalid, or a
   *     subscribed topic's default dead-letter topic would be an invalid name (see {@link
   *     GroupConfig})
   * @throws io.sluice.api.error.TopicNotFoundException when a subscribed topic does not exist
   */
  public ConsumerGroup start() {
    GroupConfig built = toConfig();
    if (handler == null
        && transactionalHandler == null
        && batchHandler == null
        && transactionalBatchHandler == null) {
      throw new InvalidConfigException("consumer group " + built.group() + " needs a handler");
    }
    if ((transactionalHandler != null || transactionalBatchHandler != null)
        && built.ackMode() == AckMode.MANUAL) {
      throw new InvalidConfigException(
          "a transactional handler is always acknowledged automatically");
    }
    for (String topic : built.topics()) {
      storage.describeTopic(topic);
    }
    Observations observations =
        new Observations(
            observationRegistry,
            sendConvention,
            processConvention,
            listenerId != null ? listenerId : built.group());
    GroupMember member =
        new GroupMember(
            storage,
            built,
            clock,
            listener,
            handler,
            transactionalHandler,
            batchHandler,
            transactionalBatchHandler,
            observations);
    member.start();
    onStart.accept(member);
    return member;
  }
}
