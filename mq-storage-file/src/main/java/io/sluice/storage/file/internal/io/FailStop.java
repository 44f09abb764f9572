package io.sluice.storage.file.internal.io;

import io.sluice.api.error.StorageFailedException;

/**
 * The store's fail-stop switch: the first I/O error on the write path trips it, and from then on
 * every write is refused until the store is closed and reopened (which recovers from disk). A
 * failed write or force is never retried and never reported as success.
 */
public final class FailStop {
  private final String store;
  private volatile Throwable cause;

  /** A switch for the store named {@code store} (its directory, for messages). */
  public FailStop(String store) {
    this.store = store;
  }

  /** Trips the switch (the first cause wins) and returns the exception to throw. */
  public StorageFailedException fail(String what, Throwable error) {
    if (cause == null) {
      cause = error;
    }
    return new StorageFailedException(
        "store "
            + store
            + " failed: "
            + what
            + " ("
            + error
            + "); it refuses writes until reopened",
        error);
  }

  /** Throws if tripped. */
  public void check() {
    Throwable c = cause;
    if (c != null) {
      throw new StorageFailedException(
          "store "
              + store
              + " refuses writes after an earlier I/O failure ("
              + c
              + "); close and reopen it to recover from disk",
          c);
    }
  }

  /** The first failure, or null. */
  public Throwable cause() {
    return cause;
  }
}
