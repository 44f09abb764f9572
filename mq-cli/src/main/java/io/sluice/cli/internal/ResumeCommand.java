package io.sluice.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice resume <group>}. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description =
        "Resume a paused consumer group on a topic, or (without --topic) clear the group-wide"
            + " pause and every per-topic pause of the group.")
final class ResumeCommand extends Base {
  @Parameters(index = "0", paramLabel = "<group>", description = "The consumer group.")
  String group;

  @Option(names = "--topic", description = "Only this topic (default: the whole group).")
  String topic;

  @Override
  int run() {
    return PauseCommand.set(this, group, topic, false);
  }
}
