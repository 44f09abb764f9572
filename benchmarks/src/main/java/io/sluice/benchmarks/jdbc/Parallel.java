package io.sluice.benchmarks.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a task on several threads at once and reports items per second. */
final class Parallel {
  private Parallel() {}

  /** Runs {@code task} on {@code threads} threads; each returns how many items it did. */
  static double rate(int threads, Callable<Long> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(task));
      }
      long items = 0;
      for (Future<Long> f : futures) {
        items += f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return items / seconds;
    } finally {
      pool.shutdown();
    }
  }
}
