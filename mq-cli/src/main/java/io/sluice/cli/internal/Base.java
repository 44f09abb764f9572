package io.sluice.cli.internal;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on a store: the options, output streams and store opening it shares. */
abstract class Base implements Callable<Integer> {
  @Spec CommandSpec spec;

  StoreOptions options() {
    return ((RootCommand) spec.root().userObject()).options;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  boolean json() {
    return options().json();
  }

  /** Opens the store for reading only (a file store: no lock, no write). */
  Store openForReading() {
    return Store.open(options(), false);
  }

  /** Opens the store to change it (a file store: takes its lock, or fails with exit code 3). */
  Store openForWriting() {
    return Store.open(options(), true);
  }

  /** A usage error for a command that only works on a file store. */
  void requireFileStore(String why) {
    if (!Store.isFile(options().location())) {
      throw new CliException(io.sluice.cli.ExitCodes.USAGE, why);
    }
  }

  @Override
  public final Integer call() throws Exception {
    int code = run();
    out().flush();
    err().flush();
    return code;
  }

  /** Runs the command; returns its exit code. */
  abstract int run() throws Exception;
}
