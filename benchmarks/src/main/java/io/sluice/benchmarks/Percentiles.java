package io.sluice.benchmarks;

import java.util.Arrays;

/**
 * Nanosecond samples (latencies, call times) sorted once and read in milliseconds. The quantile q
 * is the sample at index {@code floor(n × q)} of the sorted ones, as the latency harnesses here
 * have always printed it.
 */
public final class Percentiles {
  private final long[] sorted;

  /** The samples {@code from} (inclusive) to {@code to} (exclusive) of {@code samples}. */
  public Percentiles(long[] samples, int from, int to) {
    this.sorted = Arrays.copyOfRange(samples, from, to);
    Arrays.sort(sorted);
  }

  /** How many samples there are. */
  public int count() {
    return sorted.length;
  }

  /** The sample at quantile {@code q} (0 ≤ q < 1), in milliseconds. */
  public double ms(double q) {
    return sorted[(int) (sorted.length * q)] / 1e6;
  }

  /** The largest sample, in milliseconds. */
  public double maxMs() {
    return sorted[sorted.length - 1] / 1e6;
  }

  /** The mean, in milliseconds. */
  public double meanMs() {
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return sum / sorted.length / 1e6;
  }
}
