package io.sluice.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice}: the root command; it only holds the options every command shares. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Inspect and operate a Sluice store: a file store directory or a JDBC database.",
    footer = {
      "",
      "Exit codes: 0 ok, 1 usage, 2 not found, 3 store busy, 4 corrupted, 5 unavailable,"
          + " 6 internal error. See docs/cli.md."
    },
    subcommands = {
      TopicsCommand.class,
      TopicCommand.class,
      GroupsCommand.class,
      LagCommand.class,
      TailCommand.class,
      DumpCommand.class,
      VerifyCommand.class,
      ResetOffsetsCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      DlqCommand.class,
      UiCommand.class
    })
public final class RootCommand implements Runnable {
  @Mixin StoreOptions options;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }
}
