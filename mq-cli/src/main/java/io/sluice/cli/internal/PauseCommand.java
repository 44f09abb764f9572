package io.sluice.cli.internal;

import picocli.CommandLine.Command;

/** {@code sluice pause <group>}. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description =
        "Pause a consumer group on a topic (or on every topic): every member in every process"
            + " stops claiming within one poll; the pause is stored and survives restarts.")
final class PauseCommand extends GroupPauseCommand {
  @Override
  boolean pauses() {
    return true;
  }
}
