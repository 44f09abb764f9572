package io.sluice.consumer.internal;

import io.sluice.api.MessageHandler;
import io.sluice.api.internal.Validation;
import io.sluice.consumer.BatchHandler;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.TransactionalBatchHandler;
import io.sluice.consumer.TransactionalHandler;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.Service;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started member of a consumer group. It wires the path a delivery takes ({@link ClaimLoop} →
 * {@link Dispatcher} → {@link StartGate} → {@link DeliveryTask} → {@link Settler}, with the {@link
 * AckBatcher} behind the settler and the {@link LeaseKeeper} beside it), and runs the shutdown
 * sequence.
 */
public final class GroupMember implements ConsumerGroup, Service {
  private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

  private final Storage storage;
  private final GroupConfig config;
  private final ConsumerListener listener;
  private final InFlight inFlight = new InFlight();
  private final AckBatcher acks;
  private final Settler settler;
  private final Dispatcher dispatcher;
  private final ClaimLoop claimLoop;
  private final LeaseKeeper leaseKeeper;
  private final List<AppendWatch> watches = new ArrayList<>();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private boolean started;
  private boolean closed;
  private boolean closedCleanly = true;

  /**
   * A member with one handler of the four kinds (the others null), whose handler runs are observed
   * through {@code observations} (whose listener id also names the member to {@link
   * ConsumerListener#forMember}); call {@link #start()}. A batch handler gets batches of up to
   * {@link GroupConfig#maxBatchSize()}.
   */
  public GroupMember(
      Storage storage,
      GroupConfig config,
      InstantSource clock,
      ConsumerListener listener,
      MessageHandler handler,
      TransactionalHandler transactionalHandler,
      BatchHandler batchHandler,
      TransactionalBatchHandler transactionalBatchHandler,
      Observations observations) {
    this.storage = storage;
    this.config = config;
    String listenerId =
        observations.listenerId() != null ? observations.listenerId() : config.group();
    listener = SafeListener.bind(listener, listenerId, config);
    this.listener = new SafeListener(listener);
    String memberName =
        config.member() != null
            ? config.member()
            : config.group() + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.acks = new AckBatcher(storage, config.group());
    this.settler = new Settler(storage, config, clock, this.listener, acks, observations);
    MemberContext context =
        new MemberContext(
            config,
            storage,
            clock,
            this.listener,
            settler,
            handler,
            transactionalHandler,
            MemberContext.wantsLatencies(listener),
            batchHandler == null && transactionalBatchHandler == null
                ? null
                : new BatchRunner(
                    batchHandler,
                    transactionalBatchHandler,
                    config.maxBatchSize(),
                    config.maxBatchWait()),
            observations.forListener(listenerId));
    StartGate gate =
        new StartGate(storage, config.group(), config.retry(), clock, this.listener, settler);
    this.dispatcher =
        new Dispatcher(config, gate, this::freed, context.batch() == null ? null : context);
    this.claimLoop = new ClaimLoop(context, inFlight, dispatcher, memberName, acks::backlog);
    this.leaseKeeper =
        new LeaseKeeper(storage, config, clock, this.listener, inFlight, this::overran);
  }

  private void freed(int n) {
    claimLoop.freed(n);
  }

  /**
   * A handler ran for {@code maxHandlerTime}: its delivery is settled as a failed attempt (retried
   * after the backoff, or dead-lettered when attempts ran out), then the handler is interrupted and
   * its worker replaced, so an overrunning handler holds neither the message nor a slot.
   */
  private void overran(DeliveryTask t) {
    if (!t.markTimedOut()) {
      return;
    }
    Thread runner = t.runner();
    if (!dispatcher.retire(t)) {
      return; // it returned meanwhile and settles itself
    }
    TimeoutException error =
        new TimeoutException(
            "the handler ran longer than maxHandlerTime " + config.maxHandlerTime());
    Outcome outcome = Outcome.failed(config.retry(), t.attempt(), error);
    try {
      if (settler.settle(t, outcome) != Settler.Settled.ALREADY) {
        LOG.warn(
            "group {}: the handler of {} ran longer than {}; interrupted, delivery failed",
            config.group(),
            t,
            config.maxHandlerTime());
      }
    } catch (RuntimeException e) {
      LOG.warn("group {}: could not settle {}; its lease will run out", config.group(), t, e);
      listener.onError(config.group(), e);
    }
    if (runner != null && t.phase() == DeliveryTask.RUNNING) {
      runner.interrupt(); // not once it returned: the thread may be settling or on the next one
    }
  }

  /** Starts the member's threads; a second call, or one after close, throws. */
  @Override
  public void start() {
    lifecycle.lock();
    try {
      if (started || closed) {
        throw new IllegalStateException("consumer group member was already started or closed");
      }
      for (String topic : config.topics()) {
        watches.add(storage.watchAppends(topic, claimLoop::wake));
      }
      started = true;
      acks.start();
      leaseKeeper.start();
      claimLoop.start();
    } finally {
      lifecycle.unlock();
    }
  }

  @Override
  public String name() {
    return config.group();
  }

  @Override
  public List<String> topics() {
    return config.topics();
  }

  @Override
  public GroupConfig config() {
    return config;
  }

  @Override
  public void pause() {
    claimLoop.pause(true);
  }

  @Override
  public void resume() {
    claimLoop.pause(false);
  }

  @Override
  public boolean isPaused() {
    return claimLoop.isPaused();
  }

  @Override
  public boolean isRunning() {
    lifecycle.lock();
    try {
      return started && !closed;
    } finally {
      lifecycle.unlock();
    }
  }

  @Override
  public boolean close(Duration deadline) {
    Validation.nonNegative("deadline", deadline);
    lifecycle.lock();
    try {
      if (closed) {
        return closedCleanly;
      }
      closed = true;
      closedCleanly = shutdown(deadline);
      return closedCleanly;
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Stop claiming, release the unstarted, wait for running handlers, release and interrupt the late
   * ones, release whatever is still unsettled, stop the services.
   */
  private boolean shutdown(Duration deadline) {
    watches.forEach(AppendWatch::close);
    claimLoop.close();
    for (DeliveryTask t : dispatcher.close()) {
      settler.settleQuietly(t, Outcome.RELEASE);
    }
    boolean finished;
    boolean interrupted = false;
    try {
      finished = dispatcher.awaitIdle(deadline);
      if (!finished) {
        releaseUnsettled();
      }
      boolean exited =
          finished
              ? dispatcher.awaitWorkersExit(INTERRUPT_GRACE)
              : dispatcher.interruptAndAwait(INTERRUPT_GRACE);
      if (!exited) {
        LOG.warn(
            "group {}: handlers ignored interruption and are still running after close",
            config.group());
      }
    } catch (InterruptedException e) {
      interrupted = true;
      finished = false;
    }
    releaseUnsettled();
    leaseKeeper.close();
    acks.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return finished;
  }

  /** Releases every delivery still held and unsettled, for immediate redelivery. */
  private void releaseUnsettled() {
    inFlight.forEach(t -> settler.settleQuietly(t, Outcome.RELEASE));
  }

  @Override
  public void close() {
    close(config.shutdownTimeout());
  }

  @Override
  public String toString() {
    return "ConsumerGroup[" + config.group() + " " + config.topics() + "]";
  }
}
