package io.sluice.cli.internal;

import picocli.CommandLine.Command;

/** {@code sluice resume <group>}. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description =
        "Resume a paused consumer group on a topic, or (without --topic) clear the group-wide"
            + " pause and every per-topic pause of the group.")
final class ResumeCommand extends GroupPauseCommand {
  @Override
  boolean pauses() {
    return false;
  }
}
