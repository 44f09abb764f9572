package io.sluice.storage.file.internal.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code KEY_ORDERED}: the messages examined while their key was held by an earlier undone message
 * of the key, per partition. They wait as offsets in their key's {@link OffsetQueue} (runs of
 * consecutive offsets, 16 bytes per run), are not entries and are not walked by claims; the next
 * one becomes an entry when the message holding the key is done or removed ({@link #next}).
 *
 * <p><b>Bounded.</b> At most {@code limit} runs are kept per partition. Beyond that a key's later
 * messages are not recorded: the key <i>overflows</i> at the first offset not recorded, and when
 * its queue runs dry its next messages are found again by reading the log from there ({@link
 * #refills}, done by the next {@code KEY_ORDERED} claim). So memory stays bounded, the overflowing
 * key keeps its order, and other keys keep flowing; the cost is reading that key's part of the log
 * again. Not thread-safe: its group's lock guards it.
 */
final class HeldKeys {
  private final int limit;
  private final Map<String, OffsetQueue> waiting = new HashMap<>();
  private final TreeMap<Long, Long> deliverAt = new TreeMap<>();
  private final Map<String, Long> overflow = new HashMap<>();
  private final Set<String> refill = new LinkedHashSet<>();
  private int runs;

  HeldKeys(int limit) {
    this.limit = limit;
  }

  boolean isEmpty() {
    return waiting.isEmpty() && overflow.isEmpty();
  }

  /** Runs of waiting offsets kept (the bounded quantity). */
  int runs() {
    return runs;
  }

  /** Offsets waiting in queues (not counting overflowed keys' messages). */
  long waitingOffsets() {
    long n = 0;
    for (OffsetQueue q : waiting.values()) {
      n += q.size();
    }
    return n;
  }

  /**
   * Holds {@code offset} back behind an earlier undone message of {@code key}; returns false if it
   * is not recorded (the key overflows: its messages from the first unrecorded one on are found
   * again by reading the log).
   */
  boolean hold(String key, long offset, long deliverAtMicros) {
    if (overflow.containsKey(key)) {
      return false;
    }
    OffsetQueue q = waiting.get(key);
    boolean extendsRun = q != null && q.extendsLast(offset) && deliverAtMicros == Micros.NONE;
    int cost = (extendsRun ? 0 : 1) + (deliverAtMicros == Micros.NONE ? 0 : 1);
    if (cost > 0 && runs + cost > limit) {
      overflow.put(key, offset);
      return false;
    }
    if (q == null) {
      q = new OffsetQueue();
      waiting.put(key, q);
    }
    if (q.add(offset)) {
      runs++;
    }
    if (deliverAtMicros != Micros.NONE) {
      deliverAt.put(offset, deliverAtMicros);
      runs++; // a delayed waiting message costs a map entry: count it like a run
    }
    return true;
  }

  /**
   * Takes the next waiting message of {@code key} out of its queue (its predecessor is done or
   * gone): returns it as a pending entry, or null if none is recorded (an overflowed key is then
   * marked for a refill from the log).
   */
  Entry next(String key) {
    OffsetQueue q = key == null ? null : waiting.get(key);
    if (q == null || q.isEmpty()) {
      if (key != null && overflow.containsKey(key)) {
        refill.add(key);
      }
      return null;
    }
    int before = q.runs();
    long offset = q.poll();
    runs -= before - q.runs();
    if (q.isEmpty()) {
      waiting.remove(key);
    }
    Entry e = new Entry(offset);
    e.key = key;
    Long at = deliverAt.remove(offset);
    if (at != null) {
      e.deliverAt = at;
      runs--;
    }
    e.keyKnown = true;
    return e;
  }

  /** Keys whose queue ran dry while later messages were left unrecorded. */
  Set<String> refills() {
    return refill;
  }

  /** Keys with unrecorded messages: held until their queue is refilled from the log. */
  Set<String> overflowed() {
    return overflow.keySet();
  }

  /** Where to read the log for {@code key}'s unrecorded messages. */
  long overflowFrom(String key) {
    return overflow.get(key);
  }

  /**
   * Starts reading the log again for {@code key}'s unrecorded messages: returns where they start
   * and records them from now on ({@link #hold} until the limit, which overflows the key again).
   */
  long beginRefill(String key) {
    return overflow.remove(key);
  }

  /**
   * Ends a refill of {@code key}: the log was read up to {@code until} (exclusive), where its
   * messages are recorded again as claims examine them if {@code complete}, else the key still
   * overflows from there (unless {@link #hold} overflowed it earlier). The key stays marked for a
   * refill until one found its next message ({@code found}) or read to the end.
   */
  void endRefill(String key, long until, boolean complete, boolean found) {
    if (!complete) {
      overflow.putIfAbsent(key, until);
    }
    if (found || complete) {
      refill.remove(key);
    }
  }

  /** Whether the key has waiting messages recorded. */
  boolean hasQueue(String key) {
    return waiting.containsKey(key);
  }

  /**
   * Drops the offsets below {@code logStart} (retention) and returns the keys that had any waiting,
   * so each can move its next message up (the claim's walk in offset order still holds back all but
   * a key's lowest undone message).
   */
  List<String> dropBelow(long logStart) {
    for (OffsetQueue q : waiting.values()) {
      runs -= q.dropBelow(logStart);
    }
    waiting.values().removeIf(OffsetQueue::isEmpty);
    int delayed = deliverAt.headMap(logStart).size();
    deliverAt.headMap(logStart).clear();
    runs -= delayed;
    overflow.replaceAll((k, at) -> Math.max(at, logStart));
    List<String> keys = new ArrayList<>(waiting.keySet());
    keys.addAll(overflow.keySet());
    return keys;
  }

  void clear() {
    waiting.clear();
    deliverAt.clear();
    overflow.clear();
    refill.clear();
    runs = 0;
  }
}
