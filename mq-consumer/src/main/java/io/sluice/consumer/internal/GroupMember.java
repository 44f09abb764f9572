package io.sluice.consumer.internal;

import io.sluice.api.MessageHandler;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.ConsumerListener;
import io.sluice.consumer.GroupConfig;
import io.sluice.consumer.TransactionalHandler;
import io.sluice.spi.AppendWatch;
import io.sluice.spi.Lease;
import io.sluice.spi.Service;
import io.sluice.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started member of a consumer group: wires the claim loop ({@link GroupRunner}), the {@link
 * Dispatcher}, the {@link LeaseKeeper}, the {@link AckBatcher} and the {@link Settler}, and runs
 * the shutdown sequence.
 */
public final class GroupMember implements ConsumerGroup, Service {
  private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

  private final Storage storage;
  private final GroupConfig config;
  private final ConsumerListener listener;
  private final InstantSource clock;
  private final Set<InFlight> tracked = ConcurrentHashMap.newKeySet();
  private final Semaphore outstanding;
  private final AckBatcher acks;
  private final Settler settler;
  private final LeaseKeeper leaseKeeper;
  private final Dispatcher dispatcher;
  private final GroupRunner runner;
  private final HandlerInvoker invoker;
  private final List<AppendWatch> watches = new ArrayList<>();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private volatile boolean closing;
  private boolean started;
  private boolean closed;
  private boolean closedCleanly = true;

  /** A member; call {@link #start()}. */
  public GroupMember(
      Storage storage,
      GroupConfig config,
      InstantSource clock,
      ConsumerListener listener,
      MessageHandler handler,
      TransactionalHandler transactionalHandler) {
    this.storage = storage;
    this.config = config;
    this.listener = new SafeListener(listener);
    this.clock = clock;
    String member =
        config.member() != null
            ? config.member()
            : config.group() + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.outstanding = new Semaphore(config.concurrency() + config.prefetch());
    this.acks = new AckBatcher(storage, config.group());
    this.settler = new Settler(storage, config, clock, this.listener, acks, tracked);
    this.leaseKeeper =
        new LeaseKeeper(storage, config.group(), config.lease(), clock, this.listener, tracked);
    this.dispatcher = new Dispatcher(config);
    this.invoker =
        new HandlerInvoker(
            storage, config, clock, this.listener, settler, handler, transactionalHandler);
    this.runner =
        new GroupRunner(
            storage,
            config,
            this.listener,
            outstanding,
            member,
            clock,
            acks::backlog,
            this::dispatch);
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
        watches.add(storage.watchAppends(topic, runner::wake));
      }
      started = true;
      acks.start();
      leaseKeeper.start();
      runner.start();
    } finally {
      lifecycle.unlock();
    }
  }

  private void dispatch(Lease lease, Instant claimedAt) {
    InFlight d = new InFlight(config.group(), lease, settler, claimedAt.plus(config.lease()));
    tracked.add(d);
    try {
      dispatcher.submit(d, this::run, this::cancel);
    } catch (RuntimeException e) {
      LOG.warn("group {}: could not dispatch {}", config.group(), d, e);
      cancel(d);
    }
  }

  /**
   * The handler task: start unless closing, invoke, give the permit back. An auto ack may still be
   * on its way to the store; the ack batcher coalesces those, so slow acks (an fsync, a database
   * commit) do not hold handler slots or claim permits.
   */
  private void run(InFlight d) {
    try {
      if (closing || !d.moveTo(InFlight.Phase.QUEUED, InFlight.Phase.RUNNING)) {
        if (d.moveTo(InFlight.Phase.QUEUED, InFlight.Phase.CANCELLED)) {
          settler.releaseUnprocessed(d);
        }
        return;
      }
      if (d.isLeaseLost() || !clock.instant().isBefore(d.expiresAt())) {
        // Waited past its lease: another member may hold it soon. Never start it; hand it back
        // so the store redelivers it without waiting for its own expiry.
        d.moveTo(InFlight.Phase.RUNNING, InFlight.Phase.CANCELLED);
        settler.releaseNeverStarted(d);
        return;
      }
      invoker.invoke(d);
    } catch (Throwable t) {
      LOG.error("group {}: unexpected failure handling {}", config.group(), d, t);
    } finally {
      d.moveTo(InFlight.Phase.RUNNING, InFlight.Phase.RETURNED);
      outstanding.release();
    }
  }

  private void cancel(InFlight d) {
    if (d.moveTo(InFlight.Phase.QUEUED, InFlight.Phase.CANCELLED)) {
      settler.releaseUnprocessed(d);
    }
    outstanding.release();
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
    runner.pause(true);
  }

  @Override
  public void resume() {
    runner.pause(false);
  }

  @Override
  public boolean isPaused() {
    return runner.isPaused();
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
    io.sluice.api.internal.Validation.nonNegative("deadline", deadline);
    lifecycle.lock();
    try {
      if (closed) {
        return closedCleanly;
      }
      closed = true;
      closing = true;
      closedCleanly = shutdown(deadline);
      return closedCleanly;
    } finally {
      lifecycle.unlock();
    }
  }

  /** Stop claiming, release the unstarted, wait, release the late, stop the services. */
  private boolean shutdown(Duration deadline) {
    watches.forEach(AppendWatch::close);
    runner.close();
    releaseWhere(InFlight.Phase.QUEUED);
    boolean finished;
    boolean interrupted = false;
    try {
      finished = dispatcher.shutdownAndAwait(deadline);
      if (!finished) {
        releaseWhere(InFlight.Phase.RUNNING);
        if (!dispatcher.interruptAndAwait(INTERRUPT_GRACE)) {
          LOG.warn(
              "group {}: handlers ignored interruption and are still running after close",
              config.group());
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
      finished = false;
      releaseWhere(InFlight.Phase.RUNNING);
    }
    for (InFlight d : tracked) {
      settler.releaseUnprocessed(d);
    }
    leaseKeeper.close();
    acks.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return finished;
  }

  private void releaseWhere(InFlight.Phase phase) {
    for (InFlight d : tracked) {
      if (phase == InFlight.Phase.QUEUED) {
        if (d.moveTo(InFlight.Phase.QUEUED, InFlight.Phase.CANCELLED)) {
          settler.releaseUnprocessed(d);
        }
      } else if (d.phase() == phase) {
        settler.releaseUnprocessed(d);
      }
    }
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
