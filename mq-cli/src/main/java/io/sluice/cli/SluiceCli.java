package io.sluice.cli;

import io.sluice.cli.internal.Failures;
import io.sluice.cli.internal.RootCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The {@code sluice} command line. Run it with {@code bin/sluice} (or {@code java -jar
 * sluice-cli.jar}); embed it or test it with {@link #execute}. Every command works on a file store
 * directory or a JDBC database ({@code --store}); see {@code docs/cli.md}.
 *
 * <pre>{@code
 * int code = SluiceCli.execute(out, err, "--store", "/var/lib/app/queue", "topics");
 * }</pre>
 */
public final class SluiceCli {
  private SluiceCli() {}

  /** Runs a command and exits with its {@linkplain ExitCodes exit code}. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(out, err, args));
  }

  /** Runs a command, printing to {@code out} and {@code err}; returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    int code = commandLine(out, err).execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The command line, for a caller that adds commands of its own before running it ({@code
   * commandLine(out, err).addSubcommand("ui", new UiCommand()).execute(args)}).
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new RootCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    cl.getCommandSpec().exitCodeOnExecutionException(ExitCodes.INTERNAL);
    for (CommandLine sub : cl.getSubcommands().values()) {
      usage(sub);
    }
    cl.setExecutionExceptionHandler(Failures::handle);
    return cl;
  }

  private static void usage(CommandLine cl) {
    cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    for (CommandLine sub : cl.getSubcommands().values()) {
      usage(sub);
    }
  }
}
