package io.sluice.api.internal;

import java.util.Collection;

/** Thread helpers shared by the modules' background loops. */
public final class Threads {
  private Threads() {}

  /**
   * Waits for every thread to end, even if interrupted meanwhile; the interrupt is then restored,
   * so a close that must not leave threads behind still reports it to its caller.
   */
  public static void joinUninterruptibly(Collection<Thread> threads) {
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
