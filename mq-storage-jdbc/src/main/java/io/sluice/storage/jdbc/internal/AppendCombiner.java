package io.sluice.storage.jdbc.internal;

import io.sluice.api.Receipt;
import io.sluice.api.error.BackendUnavailableException;
import io.sluice.spi.OutgoingMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Merges concurrent appends to one partition into one transaction (issue 12.5). Appends to a
 * partition serialize on its counter row until commit (see {@link Appender}); callers that arrive
 * while one transaction runs wait, and the first of them then appends all their batches in the next
 * transaction, one after the other in arrival order, and hands each caller its own receipts. So
 * eight producers on one partition take the row once per transaction instead of once each, and a
 * lone caller waits for nobody.
 *
 * <p><b>Per call, as if alone.</b> The batches are concatenated in order, so the messages of one
 * call that land in one partition still get consecutive offsets in their order, and its unkeyed
 * messages still share one partition. An idempotency key repeated in a later call of the same
 * transaction gets the earlier call's receipt as a duplicate, exactly as if that call had committed
 * first. The transaction commits all calls or none; if it fails for any reason but an unknown
 * outcome (connection lost, ambiguous commit: then every caller gets that error and retries with
 * its keys), each call is run again alone, so one call's failure is only its own.
 */
final class AppendCombiner {
  /** The most messages one combined transaction takes (a single larger call still runs whole). */
  static final int MAX_MESSAGES = 10_000;

  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * Appends {@code batch}, bound for the partition named by {@code lane} (appends to other
   * partitions never wait here): {@code run} appends a list of batches in one transaction and
   * returns their receipts in the same order.
   */
  List<Receipt> append(
      String lane,
      List<OutgoingMessage> batch,
      Function<List<List<OutgoingMessage>>, List<List<Receipt>>> run) {
    return lanes.computeIfAbsent(lane, t -> new Lane()).append(batch, run);
  }

  /** One call waiting in a lane: its batch, then its receipts or its failure. */
  private static final class Call {
    final List<OutgoingMessage> batch;
    List<Receipt> receipts;
    RuntimeException failure;
    boolean done;

    Call(List<OutgoingMessage> batch) {
      this.batch = batch;
    }
  }

  private static final class Lane {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private final ArrayDeque<Call> queue = new ArrayDeque<>();
    private boolean busy;

    List<Receipt> append(
        List<OutgoingMessage> batch,
        Function<List<List<OutgoingMessage>>, List<List<Receipt>>> run) {
      Call own = new Call(batch);
      List<Call> calls;
      lock.lock();
      try {
        queue.add(own);
        while (busy && !own.done) {
          finished.awaitUninterruptibly();
        }
        if (own.done) {
          return result(own);
        }
        busy = true;
        calls = take();
      } finally {
        lock.unlock();
      }
      try {
        runAll(calls, run);
      } finally {
        lock.lock();
        try {
          for (Call c : calls) {
            c.done = true;
          }
          busy = false;
          finished.signalAll();
        } finally {
          lock.unlock();
        }
      }
      return result(own);
    }

    /** The queued calls for one transaction, oldest first (the caller's own is among them). */
    private List<Call> take() {
      List<Call> calls = new ArrayList<>();
      int messages = 0;
      while (!queue.isEmpty()) {
        Call next = queue.peek();
        if (!calls.isEmpty() && messages + next.batch.size() > MAX_MESSAGES) {
          break;
        }
        calls.add(queue.poll());
        messages += next.batch.size();
      }
      return calls;
    }

    private static void runAll(
        List<Call> calls, Function<List<List<OutgoingMessage>>, List<List<Receipt>>> run) {
      List<List<OutgoingMessage>> batches = new ArrayList<>(calls.size());
      calls.forEach(c -> batches.add(c.batch));
      try {
        List<List<Receipt>> receipts = run.apply(batches);
        for (int i = 0; i < calls.size(); i++) {
          calls.get(i).receipts = receipts.get(i);
        }
        return;
      } catch (BackendUnavailableException e) {
        calls.forEach(c -> c.failure = e); // outcome unknown: never rerun here
        return;
      } catch (RuntimeException e) {
        if (calls.size() == 1) {
          calls.get(0).failure = e;
          return;
        }
      }
      for (Call c : calls) {
        try {
          c.receipts = run.apply(List.of(c.batch)).get(0);
        } catch (RuntimeException e) {
          c.failure = e;
        }
      }
    }

    private static List<Receipt> result(Call c) {
      if (c.failure != null) {
        throw c.failure;
      }
      return c.receipts;
    }
  }
}
