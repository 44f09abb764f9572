package io.sluice.storage.file.internal.io;

import java.io.IOException;

/** Something the group committer can force to disk: a partition log or the state journal. */
public interface Forceable {
  /** Forces what was written before the call and makes it visible. */
  void force() throws IOException;

  /** Whether a writer is between entering and finishing a write (the committer waits briefly). */
  default boolean writesInProgress() {
    return false;
  }

  /** Fails every queued append (the round failed before writing them). */
  default void failQueued(RuntimeException cause) {}

  /**
   * The store failed: drops what was written and not forced, if its writers were not answered yet
   * (their sends fail), so that it cannot come back from the page cache after a reopen.
   */
  default void discardUnforced() {}
}
