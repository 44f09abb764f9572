package io.sluice.consumer.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A lock-free stack of arrivals: many threads push, one thread takes them all at once, oldest
 * first. Items link through a field of their own, so a push allocates nothing and costs one
 * compare-and-set.
 */
final class Arrivals<T extends Arrivals.Linked<T>> {

  /** An item that carries the link to the one pushed before it. */
  interface Linked<T> {
    T nextArrival();

    void nextArrival(T next);
  }

  private final AtomicReference<T> newest = new AtomicReference<>();

  void push(T item) {
    T head;
    do {
      head = newest.get();
      item.nextArrival(head);
    } while (!newest.compareAndSet(head, item));
  }

  boolean isEmpty() {
    return newest.get() == null;
  }

  /** The newest item, to walk the stack without taking it (later pushes are not seen). */
  T newest() {
    return newest.get();
  }

  /** Takes every item pushed so far and hands each to {@code sink} unlinked, oldest first. */
  void takeAll(Consumer<? super T> sink) {
    T item = newest.getAndSet(null);
    T oldest = null;
    while (item != null) {
      T older = item.nextArrival();
      item.nextArrival(oldest);
      oldest = item;
      item = older;
    }
    while (oldest != null) {
      T next = oldest.nextArrival();
      oldest.nextArrival(null);
      sink.accept(oldest);
      oldest = next;
    }
  }
}
