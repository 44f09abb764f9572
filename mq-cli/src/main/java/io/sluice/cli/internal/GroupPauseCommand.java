package io.sluice.cli.internal;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice pause <group>} and {@code sluice resume <group>}: the arguments and the run. */
abstract class GroupPauseCommand extends Base {
  @Parameters(index = "0", paramLabel = "<group>", description = "The consumer group.")
  String group;

  @Option(names = "--topic", description = "Only this topic (default: the whole group).")
  String topic;

  /** Whether this command pauses (else it resumes). */
  abstract boolean pauses();

  @Override
  int run() {
    boolean paused = pauses();
    try (Store store = openForWriting()) {
      if (paused) {
        store.admin().pause(group, topic);
      } else {
        store.admin().resume(group, topic);
      }
      boolean now = store.admin().isPaused(group, topic);
      if (json()) {
        Json.print(out(), Json.object("group", group, "topic", topic, "paused", now));
      } else {
        out()
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
