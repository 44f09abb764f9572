package io.sluice.storage.file.internal.state;

import io.sluice.api.Receipt;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One topic's producer idempotency keys accepted within its dedupe window, each with its original
 * receipt and the group-commit round that made it durable (a duplicate waits for that round too, so
 * it never answers before the original is durable). Appends carrying keys hold {@link #lock} from
 * the check until their keys are recorded.
 */
public final class ProducerDedupe {
  /** An accepted key. */
  public record Accepted(Receipt receipt, Instant at, CompletableFuture<Void> durable) {}

  /** Held by keyed appends of the topic and by checkpoints. */
  public final ReentrantLock lock = new ReentrantLock();

  private final Map<String, Accepted> keys = new HashMap<>();

  /** The accepted key's entry if within {@code window} of now, else null. Caller holds the lock. */
  public Accepted find(String key, Instant now, Duration window) {
    Accepted a = keys.get(key);
    return a != null && now.isBefore(a.at().plus(window)) ? a : null;
  }

  /** Records a key. Caller holds the lock (or is replaying). */
  public void put(String key, Accepted accepted) {
    keys.put(key, accepted);
  }

  /** Records a key found in the log if none is known. */
  public void putIfAbsent(String key, Accepted accepted) {
    lock.lock();
    try {
      keys.putIfAbsent(key, accepted);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets keys whose receipt lies at or past a partition's end (lost with a torn tail). */
  public void dropBeyond(int partition, long endOffset) {
    lock.lock();
    try {
      keys.values()
          .removeIf(a -> a.receipt().partition() == partition && a.receipt().offset() >= endOffset);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets keys older than the window. */
  public void expire(Instant now, Duration window) {
    lock.lock();
    try {
      Iterator<Accepted> it = keys.values().iterator();
      while (it.hasNext()) {
        if (!now.isBefore(it.next().at().plus(window))) {
          it.remove();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Every key as a record, for a snapshot. */
  public void snapshot(String topic, java.util.List<StateRecord> out) {
    lock.lock();
    try {
      for (Map.Entry<String, Accepted> e : keys.entrySet()) {
        Receipt r = e.getValue().receipt();
        out.add(
            new StateRecord.Dedupe(
                topic, e.getKey(), r.partition(), r.offset(), r.timestamp(), e.getValue().at()));
      }
    } finally {
      lock.unlock();
    }
  }
}
