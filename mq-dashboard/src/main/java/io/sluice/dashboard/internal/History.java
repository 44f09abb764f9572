package io.sluice.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded ring of lag samples: each holds, per group and topic, the lag and the sum of committed
 * offsets, from which the view derives throughput (messages done per second). Thread-safe.
 */
public final class History {
  private final InstantSource clock;
  private final int capacity;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();

  /** A history of at most {@code capacity} samples, stamped by {@code clock}. */
  public History(InstantSource clock, int capacity) {
    this.clock = clock;
    this.capacity = capacity;
  }

  private record Sample(Instant at, Map<String, long[]> values) {}

  /** {@code GET /api/history}. */
  public record View(long intervalMillis, int capacity, List<Series> series) {}

  /** One group on one topic over time. */
  public record Series(String group, String topic, List<Point> points) {}

  /**
   * One sample of a series.
   *
   * @param at epoch milliseconds
   * @param lag the lag then
   * @param rate messages done per second since the previous sample (0 for the first)
   */
  public record Point(long at, long lag, double rate) {}

  /** Adds one sample of {@code groups}, dropping the oldest beyond the capacity. */
  public void record(List<Views.GroupRow> groups) {
    Map<String, long[]> values = new LinkedHashMap<>();
    for (Views.GroupRow g : groups) {
      values.put(g.group() + "\n" + g.topic(), new long[] {g.lag(), g.committedSum()});
    }
    lock.lock();
    try {
      samples.addLast(new Sample(clock.instant(), values));
      while (samples.size() > capacity) {
        samples.removeFirst();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Every series, oldest point first; a series starts at the first sample that has it. */
  public View view(Duration interval) {
    List<Sample> copy;
    lock.lock();
    try {
      copy = new ArrayList<>(samples);
    } finally {
      lock.unlock();
    }
    Map<String, List<Point>> series = new LinkedHashMap<>();
    Map<String, long[]> previous = new LinkedHashMap<>();
    Map<String, Instant> previousAt = new LinkedHashMap<>();
    for (Sample s : copy) {
      s.values()
          .forEach(
              (key, v) -> {
                double rate = 0;
                long[] before = previous.get(key);
                if (before != null) {
                  long millis = Duration.between(previousAt.get(key), s.at()).toMillis();
                  long done = Math.max(0, v[1] - before[1]);
                  rate = millis <= 0 ? 0 : done * 1000.0 / millis;
                }
                series
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new Point(s.at().toEpochMilli(), v[0], Math.round(rate * 100) / 100.0));
                previous.put(key, v);
                previousAt.put(key, s.at());
              });
    }
    List<Series> out = new ArrayList<>();
    series.forEach(
        (key, points) -> {
          String[] parts = key.split("\n", 2);
          out.add(new Series(parts[0], parts[1], points));
        });
    return new View(interval.toMillis(), capacity, out);
  }
}
