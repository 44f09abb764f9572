package io.sluice.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice pause <group>}. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description =
        "Pause a consumer group on a topic (or on every topic): every member in every process"
            + " stops claiming within one poll; the pause is stored and survives restarts.")
final class PauseCommand extends Base {
  @Parameters(index = "0", paramLabel = "<group>", description = "The consumer group.")
  String group;

  @Option(names = "--topic", description = "Only this topic (default: the whole group).")
  String topic;

  @Override
  int run() {
    return PauseCommand.set(this, group, topic, true);
  }

  static int set(Base command, String group, String topic, boolean paused) {
    try (Store store = command.openForWriting()) {
      if (paused) {
        store.admin().pause(group, topic);
      } else {
        store.admin().resume(group, topic);
      }
      boolean now = store.admin().isPaused(group, topic);
      if (command.json()) {
        Json.print(command.out(), Json.object("group", group, "topic", topic, "paused", now));
      } else {
        command
            .out()
            .printf(
                "%s group %s %s%n",
                paused ? "Paused" : "Resumed",
                group,
                topic == null ? "on every topic" : "on topic " + topic);
      }
      return 0;
    }
  }
}
