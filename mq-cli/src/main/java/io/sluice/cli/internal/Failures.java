package io.sluice.cli.internal;

import io.sluice.api.error.BackendUnavailableException;
import io.sluice.api.error.InvalidRequestException;
import io.sluice.api.error.StorageCorruptedException;
import io.sluice.api.error.StorageException;
import io.sluice.api.error.StorageLockedException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.api.error.UnsupportedCapabilityException;
import io.sluice.cli.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Turns what a command throws into a message on standard error and an exit code. */
public final class Failures {
  private Failures() {}

  /** A picocli execution exception handler. */
  public static int handle(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof CommandLine.ParameterException pe) {
      err.println("sluice: " + pe.getMessage());
      pe.getCommandLine().usage(err);
      return ExitCodes.USAGE;
    }
    int code = exitCode(e);
    err.println("sluice: " + message(e));
    if (code == ExitCodes.INTERNAL) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static int exitCode(Throwable e) {
    return switch (e) {
      case CliException c -> c.exitCode();
      case TopicNotFoundException t -> ExitCodes.NOT_FOUND;
      case StorageLockedException l -> ExitCodes.STORE_BUSY;
      case StorageCorruptedException c -> ExitCodes.CORRUPTED;
      case InvalidRequestException i -> ExitCodes.USAGE;
      case UnsupportedCapabilityException u -> ExitCodes.USAGE;
      case BackendUnavailableException b -> ExitCodes.UNAVAILABLE;
      case StorageException s -> ExitCodes.UNAVAILABLE;
      default -> ExitCodes.INTERNAL;
    };
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof TopicNotFoundException) {
      return m + " (sluice topics lists the topics)";
    }
    return m == null ? e.toString() : m;
  }
}
