package io.sluice.cli;

/**
 * The exit codes of the {@code sluice} command, documented in {@code docs/cli.md}. Scripts may rely
 * on them.
 */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int OK = 0;

  /** Bad usage: an unknown option, a missing argument, or a value the store rejects as invalid. */
  public static final int USAGE = 1;

  /** What the command names does not exist: a store, topic, or dead-letter entry. */
  public static final int NOT_FOUND = 2;

  /** A write command found the file store held by another process (its lock is taken). */
  public static final int STORE_BUSY = 3;

  /** {@code verify} (or a read) found corrupted data; the message names file and position. */
  public static final int CORRUPTED = 4;

  /** The store could not be reached or read: a database down, an I/O error. */
  public static final int UNAVAILABLE = 5;

  /** An unexpected failure (a bug): the stack trace goes to standard error. */
  public static final int INTERNAL = 6;

  private ExitCodes() {}
}
