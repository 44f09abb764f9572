package io.sluice.consumer.internal;

import io.sluice.api.Ordering;
import io.sluice.consumer.GroupConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries on at most {@code concurrency} long-lived workers (virtual threads, or platform
 * threads when configured), started as needed. Claimed deliveries wait in a ready queue; whenever
 * handler slots are free, one worker takes as many ready deliveries as there are free slots, passes
 * them through the {@link StartGate} in one call, and queues the started ones for the workers.
 * While the gate's store call runs, the slots freed meanwhile gather into the next batch; when a
 * quarter of the slots are free again another worker starts a batch alongside (at most {@value
 * #MAX_MARKERS} at once), so a store with slow calls (a database commit) does not serialize the
 * starts. So no thread is created per delivery, and a prefetched delivery (one without a free slot)
 * is never marked started.
 *
 * <p>Started deliveries never wait behind a handler: whenever some are queued, one idle worker is
 * being woken, and each worker that takes one wakes the next while more remain. With slow handlers
 * every started delivery gets its own worker; with fast ones the running workers drain the queue
 * before the woken ones arrive, so a delivery costs no thread hand-off.
 *
 * <p>Under {@link Ordering#KEY_ORDERED} the deliveries of one key form a lane: each starts only
 * after the previous one of that key finished, while other keys run in parallel. (The store already
 * hands out one message per key at a time; lanes keep that order inside the member even if it did
 * not.)
 *
 * <p><b>Batches.</b> With a batch handler ({@link BatchRunner}) each worker runs a batch at a time:
 * it takes the started deliveries waiting (up to {@code maxBatchSize}), and while the batch is not
 * full, waits up to {@code maxBatchWait} for more, marking ready ones itself meanwhile; one worker
 * fills at a time, so batches fill rather than splitting. A delivery on a retry (attempt 2 or
 * later) makes a batch of its own. Each delivery of a batch holds a slot until the batch ends: the
 * member has {@code concurrency × maxBatchSize} slots and at most {@code concurrency} workers.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** The most workers marking deliveries started at once. */
  static final int MAX_MARKERS = 4;

  private final int concurrency;
  private final int slots;
  private final BatchRunner batch;
  private final MemberContext batchMember;
  private final StartGate gate;
  private final IntConsumer leftDispatcher;
  private final ThreadFactory threads;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition quiet = lock.newCondition();
  private final Condition fill = lock.newCondition();
  private final ArrayDeque<DeliveryTask> ready = new ArrayDeque<>();
  private final ArrayDeque<DeliveryTask> started = new ArrayDeque<>();
  private final Map<String, ArrayDeque<DeliveryTask>> lanes;
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();
  private final Set<Worker> workers = new HashSet<>();
  private int running;
  private int marking;
  private int markers;
  private boolean waking;
  private boolean closing;
  private Worker filler;

  /**
   * A dispatcher; {@code leftDispatcher} is told how many deliveries left it (finished, handed back
   * or released), so the claim loop may claim as many more.
   */
  Dispatcher(GroupConfig config, StartGate gate, IntConsumer leftDispatcher) {
    this(config, gate, leftDispatcher, null);
  }

  /** A dispatcher running the batch handler of {@code batchMember}, if not null. */
  Dispatcher(
      GroupConfig config, StartGate gate, IntConsumer leftDispatcher, MemberContext batchMember) {
    this.concurrency = config.concurrency();
    this.batchMember = batchMember;
    this.batch = batchMember == null ? null : batchMember.batch();
    this.slots = batchMember == null ? concurrency : batchMember.slots();
    this.gate = gate;
    this.leftDispatcher = leftDispatcher;
    String prefix = "sluice-" + config.group() + "-handler-";
    this.threads =
        config.virtualThreads()
            ? Thread.ofVirtual().name(prefix, 0).factory()
            : Thread.ofPlatform().name(prefix, 0).daemon(true).factory();
    this.lanes = config.ordering() == Ordering.KEY_ORDERED ? new HashMap<>() : null;
  }

  /** One handler slot's thread. */
  private final class Worker implements Runnable {
    final Condition wake = lock.newCondition();
    Thread thread;
    boolean waiting;
    boolean woken;

    @Override
    public void run() {
      if (batch != null) {
        serve(Dispatcher.this::nextBatch, this::handleBatch);
      } else {
        serve(Dispatcher.this::next, this::handle);
      }
    }

    /** Handles what {@code next} gives, one piece after another, until it gives null. */
    private <T> void serve(BiFunction<Worker, T, T> next, Consumer<T> handle) {
      T done = null;
      while (true) {
        T work = next.apply(this, done);
        if (work == null) {
          return;
        }
        handle.accept(work);
        if (Thread.currentThread().isInterrupted()) {
          Thread.interrupted(); // an interrupt meant for the handler ends with it
        }
        done = work;
      }
    }

    private void handle(DeliveryTask t) {
      try {
        t.run();
      } catch (Throwable e) {
        LOG.error("group {}: unexpected failure handling {}", t.group(), t, e);
      }
    }

    private void handleBatch(List<DeliveryTask> b) {
      try {
        batch.run(b, batchMember);
      } catch (Throwable e) {
        LOG.error("group {}: unexpected failure handling a batch of {}", b.get(0).group(), b, e);
      }
    }

    /**
     * The first started delivery, now running, or null; wakes the next worker while more wait. Lock
     * held.
     */
    private DeliveryTask takeStarted() {
      DeliveryTask t = started.poll();
      if (t != null) {
        running++;
        if (!started.isEmpty()) {
          wakeOne();
        }
      }
      return t;
    }

    /**
     * A batch of the started deliveries ({@link #fillBatch}), or null when none waits. Lock held.
     */
    private List<DeliveryTask> takeBatch() {
      return started.isEmpty() ? null : fillBatch(this);
    }
  }

  /**
   * Reserves the free handler slots, up to {@code max}, for a claim that counts the attempts of
   * what it claims ({@link io.sluice.spi.ClaimRequest#start()}), so that every delivery of that
   * claim starts at once; none unless at least {@code min} are free ({@link #startRoom}). Returns
   * how many were reserved; they are given back by {@link #submitStarted} or {@link #unreserve}.
   */
  int reserve(int min, int max) {
    lock.lock();
    try {
      int n = startRoom();
      if (n < min) {
        return 0;
      }
      n = Math.min(max, n);
      marking += n;
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether claims can count starts here at all: keys have no lanes and there are at least {@code
   * min} handler slots.
   */
  boolean startsInClaims(int min) {
    return lanes == null && slots >= min;
  }

  /** Whether {@link #reserve} would now give at least {@code min} slots. */
  boolean hasRoom(int min) {
    lock.lock();
    try {
      return startRoom() >= min;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The slots a claim that counts starts may take: the free ones, while no claimed delivery waits
   * for a slot and keys have no lanes ({@code KEY_ORDERED} may hold a delivery back); else none.
   * Lock held.
   */
  private int startRoom() {
    return closing || lanes != null || !ready.isEmpty() ? 0 : Math.max(0, room());
  }

  /** Gives back {@code reserved} slots that no claimed delivery took. */
  void unreserve(int reserved) {
    if (reserved == 0) {
      return;
    }
    lock.lock();
    try {
      release(reserved);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues deliveries whose claim counted their attempts, on the {@code reserved} slots it was made
   * for ({@link #reserve}; at least as many as deliveries): they pass the gate without a store call
   * and go straight to the workers. Once closing they stay unsettled, for shutdown to release.
   */
  void submitStarted(DeliveryTask[] tasks, int reserved) {
    List<DeliveryTask> batch = Arrays.asList(tasks);
    List<DeliveryTask> go = gate.start(batch, true);
    lock.lock();
    try {
      hand(batch, go);
      release(reserved);
    } finally {
      lock.unlock();
    }
  }

  /** Ends a reservation of {@code reserved} slots. Lock held. */
  private void release(int reserved) {
    marking -= reserved;
    wakeMarker();
    quiet.signalAll();
  }

  /** Queues claimed deliveries; false (nothing queued) once closing. */
  boolean submit(DeliveryTask[] tasks) {
    lock.lock();
    try {
      if (closing) {
        return false;
      }
      for (DeliveryTask t : tasks) {
        ready.add(t);
      }
      wakeMarker();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ready deliveries wait or a slot came free: a worker is woken to mark them if it may, and a
   * filling batch marks them itself if no one else does. Lock held.
   */
  private void wakeMarker() {
    if (mayMark(0)) {
      wakeOne();
    }
    if (filler != null) {
      fill.signal();
    }
  }

  private int room() {
    return slots - running - started.size() - marking;
  }

  private Worker pollIdle() {
    Worker w = idle.poll();
    if (w != null) {
      w.waiting = false;
    }
    return w;
  }

  /**
   * Wakes an idle worker (or starts one) to take started deliveries or mark ready ones, unless one
   * is being woken already: it wakes the next once it has work, so wake-ups follow demand.
   */
  private void wakeOne() {
    if (waking) {
      return;
    }
    Worker w = pollIdle();
    if (w == null) {
      if (workers.size() >= concurrency) {
        return; // every worker is busy: the next to finish takes the work
      }
      w = new Worker();
      w.thread = threads.newThread(w);
      workers.add(w);
      w.woken = true;
      waking = true;
      w.thread.start();
      return;
    }
    w.woken = true;
    waking = true;
    w.wake.signal();
  }

  /** The worker's next delivery, after it finished {@code done}; null when it should exit. */
  private DeliveryTask next(Worker w, DeliveryTask done) {
    lock.lock();
    try {
      if (done != null && !finished(done)) {
        return null; // replaced while its handler overran; it no longer counts
      }
      return awaitWork(w, Worker::takeStarted);
    } finally {
      lock.unlock();
    }
  }

  /**
   * What {@code take} gives the worker from the started deliveries, marking ready ones itself and
   * parking while there is none; null once closing (the worker then exits). Lock held.
   */
  private <T> T awaitWork(Worker w, Function<Worker, T> take) {
    while (true) {
      if (w.woken) {
        w.woken = false;
        waking = false;
      }
      if (closing) {
        workers.remove(w);
        quiet.signalAll();
        return null;
      }
      T work = take.apply(w);
      if (work != null) {
        return work;
      }
      if (mayMark(0)) {
        markRounds();
        continue;
      }
      waitIdle(w);
    }
  }

  /** A worker finished {@code t}; false if the worker was retired meanwhile. Lock held. */
  private boolean finished(DeliveryTask t) {
    if (t.retired) {
      return false;
    }
    running--;
    leave(t);
    if (running == 0) {
      quiet.signalAll();
    }
    return true;
  }

  /** Parks an idle worker until woken. Lock held (released while waiting). */
  private void waitIdle(Worker w) {
    idle.push(w);
    w.waiting = true;
    try {
      w.wake.await();
    } catch (InterruptedException e) {
      // shutdown interrupts every worker; the loop sees closing
    }
    if (w.waiting) {
      w.waiting = false;
      idle.remove(w); // woken without being handed work (close, interrupt, spurious)
    }
  }

  /**
   * Whether a worker should mark ready deliveries started, given {@code self} markers that are this
   * worker: when none is marking and a slot is free, or, while others mark (a slow store call),
   * when a quarter of the slots are free again and fewer than {@value #MAX_MARKERS} mark, so gate
   * calls overlap on a store whose calls are slow instead of queueing behind each other.
   */
  private boolean mayMark(int self) {
    if (closing || ready.isEmpty()) {
      return false;
    }
    int room = room();
    int others = markers - self;
    return room > 0 && (others == 0 || (others < MAX_MARKERS && room >= Math.max(1, slots / 4)));
  }

  /**
   * Marks ready deliveries started, round after round while {@link #mayMark} says so, queueing them
   * for the workers. Called with the lock held; releases it during each gate call.
   */
  private void markRounds() {
    markers++;
    try {
      do {
        List<DeliveryTask> batch = takeReady(room());
        if (batch.isEmpty()) {
          break;
        }
        marking += batch.size();
        List<DeliveryTask> go;
        lock.unlock();
        try {
          go = gate.start(batch);
        } finally {
          lock.lock();
          marking -= batch.size();
        }
        hand(batch, go);
      } while (mayMark(1));
    } finally {
      markers--;
      quiet.signalAll();
    }
  }

  /** Queues the started deliveries for the workers; those the gate did not start leave. */
  private void hand(List<DeliveryTask> batch, List<DeliveryTask> go) {
    int g = 0;
    for (DeliveryTask t : batch) {
      if (g < go.size() && go.get(g) == t) {
        g++;
        if (closing) {
          leave(t); // still tracked and unsettled: shutdown releases it
        } else {
          started.add(t);
        }
      } else {
        leave(t);
      }
    }
    if (!started.isEmpty()) {
      if (filler != null) {
        fill.signal(); // the filling batch takes them first
      } else {
        wakeOne();
      }
    }
  }

  // ------------------------------------------------------------------------------------- batches

  /** The worker's next batch, after it finished {@code done}; null when it should exit. */
  private List<DeliveryTask> nextBatch(Worker w, List<DeliveryTask> done) {
    lock.lock();
    try {
      if (done != null && !finishedAll(done)) {
        return null; // replaced while its handler overran; it no longer counts
      }
      return awaitWork(w, Worker::takeBatch);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes started deliveries into a batch until it is full or {@code maxBatchWait} has passed (only
   * one worker waits at a time; the others take what is there). Lock held.
   */
  private List<DeliveryTask> fillBatch(Worker w) {
    List<DeliveryTask> b = new ArrayList<>(Math.min(batch.maxSize(), started.size() + 16));
    DeliveryTask first = started.poll();
    running++;
    b.add(first);
    boolean wait = first.attempt() == 1 && filler == null && batch.waitNanos() > 0;
    long deadline = System.nanoTime() + batch.waitNanos();
    if (wait) {
      filler = w;
    }
    try {
      while (first.attempt() == 1 && b.size() < batch.maxSize()) {
        DeliveryTask t = started.peek();
        if (t != null) {
          if (t.attempt() > 1) {
            break; // a retry runs in a batch of its own
          }
          started.poll();
          running++;
          b.add(t);
          continue;
        }
        if (closing) {
          break;
        }
        if (mayMark(0)) {
          markRounds();
          continue;
        }
        long left = deadline - System.nanoTime();
        if (!wait || left <= 0) {
          break;
        }
        try {
          fill.awaitNanos(left);
        } catch (InterruptedException e) {
          break; // shutdown: run what was taken
        }
      }
    } finally {
      if (filler == w) {
        filler = null;
      }
    }
    if (!started.isEmpty() || mayMark(0)) {
      wakeOne();
    }
    return b;
  }

  /** A worker finished a batch; false if the worker was retired meanwhile. Lock held. */
  private boolean finishedAll(List<DeliveryTask> done) {
    boolean alive = true;
    for (DeliveryTask t : done) {
      if (t.retired) {
        alive = false;
      } else {
        running--;
        leave(t);
      }
    }
    if (running == 0) {
      quiet.signalAll();
    }
    return alive;
  }

  /** Up to {@code max} ready deliveries whose key lane is free; the others wait in their lane. */
  private List<DeliveryTask> takeReady(int max) {
    List<DeliveryTask> batch = new ArrayList<>(Math.min(max, ready.size()));
    while (batch.size() < max) {
      DeliveryTask t = ready.poll();
      if (t == null) {
        break;
      }
      String key = lanes == null ? null : t.key();
      if (key != null && !t.laneHead) {
        if (lanes.containsKey(key)) {
          lanes.computeIfAbsent(key, k -> new ArrayDeque<>()).add(t);
          continue;
        }
        lanes.put(key, null);
      }
      t.laneHead = false;
      batch.add(t);
    }
    return batch;
  }

  /** A delivery leaves the dispatcher: its lane passes to the key's next one; a claim credit. */
  private void leave(DeliveryTask t) {
    String key = lanes == null ? null : t.key();
    if (key != null) {
      ArrayDeque<DeliveryTask> waiting = lanes.get(key);
      if (waiting == null || waiting.isEmpty()) {
        lanes.remove(key);
      } else {
        DeliveryTask next = waiting.poll();
        next.laneHead = true;
        ready.addFirst(next);
      }
    }
    leftDispatcher.accept(1);
  }

  /**
   * The lease keeper gave up on {@code t}'s overrunning handler: its worker no longer counts
   * against the concurrency (it exits when the handler returns), so another may start. False if the
   * handler is no longer running.
   */
  boolean retire(DeliveryTask t) {
    lock.lock();
    try {
      if (t.phase() != DeliveryTask.RUNNING || t.retired) {
        return false;
      }
      Thread runner = t.runner();
      t.retired = true;
      running--;
      workers.removeIf(w -> w.thread == runner);
      leave(t);
      wakeMarker();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops starting deliveries and returns the ones that never started (queued, waiting in a lane,
   * or marked but not yet picked up by a worker); idle workers exit.
   */
  List<DeliveryTask> close() {
    lock.lock();
    try {
      closing = true;
      List<DeliveryTask> unstarted = new ArrayList<>(ready);
      unstarted.addAll(started);
      if (lanes != null) {
        lanes.values().forEach(w -> unstarted.addAll(w == null ? List.of() : w));
        lanes.clear();
      }
      ready.clear();
      started.clear();
      Worker w;
      while ((w = pollIdle()) != null) {
        w.wake.signal();
      }
      fill.signalAll();
      return unstarted;
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code deadline} until no handler runs; true if none does. */
  boolean awaitIdle(Duration deadline) throws InterruptedException {
    return await(deadline, () -> running > 0 || markers > 0);
  }

  /** Interrupts every worker, then waits up to {@code grace} for them to exit; true if they did. */
  boolean interruptAndAwait(Duration grace) throws InterruptedException {
    lock.lock();
    try {
      workers.forEach(w -> w.thread.interrupt());
    } finally {
      lock.unlock();
    }
    return awaitWorkersExit(grace);
  }

  /** Waits up to {@code grace} for idle workers to exit after {@link #close()}. */
  boolean awaitWorkersExit(Duration grace) throws InterruptedException {
    return await(grace, () -> !workers.isEmpty());
  }

  /** Waits up to {@code limit} while {@code busy} holds (checked with the lock held). */
  private boolean await(Duration limit, BooleanSupplier busy) throws InterruptedException {
    long nanos = limit.toNanos();
    lock.lock();
    try {
      while (busy.getAsBoolean() && nanos > 0) {
        nanos = quiet.awaitNanos(nanos);
      }
      return !busy.getAsBoolean();
    } finally {
      lock.unlock();
    }
  }
}
