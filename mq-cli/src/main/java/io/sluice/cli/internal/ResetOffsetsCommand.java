package io.sluice.cli.internal;

import io.sluice.api.Position;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.OffsetChange;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice reset-offsets <group> --topic t --to-...}. */
@Command(
    name = "reset-offsets",
    mixinStandardHelpOptions = true,
    description = {
      "Move a group's committed offsets on a topic (replay or skip), in one partition or all."
          + " The group's leases there become stale and its retry state is forgotten: pause the"
          + " group first if it is running.",
      "With --dry-run, print the change without making it (on a file store held by an"
          + " application, a dry run works; the reset itself needs the store)."
    })
final class ResetOffsetsCommand extends Base {
  @Parameters(index = "0", paramLabel = "<group>", description = "The consumer group.")
  String group;

  @Option(names = "--topic", required = true, description = "The topic.")
  String topic;

  @Option(
      names = {"-p", "--partition"},
      description = "Only this partition (default: all).")
  Integer partition;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(names = "--dry-run", description = "Show the change; change nothing.")
  boolean dryRun;

  static final class Target {
    @Option(names = "--to-earliest", description = "To the earliest retained message.")
    boolean earliest;

    @Option(names = "--to-latest", description = "To the end: skip everything there now.")
    boolean latest;

    @Option(names = "--to-offset", paramLabel = "<offset>", description = "To this offset.")
    Long offset;

    @Option(
        names = "--to-datetime",
        paramLabel = "<time>",
        description = "To the first message at or after this ISO-8601 time.")
    String datetime;

    Position position() {
      if (earliest) {
        return Position.EARLIEST;
      }
      if (latest) {
        return Position.LATEST;
      }
      if (offset != null) {
        return Position.offset(offset);
      }
      return Position.timestamp(Positions.instant(datetime));
    }
  }

  @Override
  int run() {
    Position to = target.position();
    int p = partition == null ? SluiceAdmin.ALL_PARTITIONS : partition;
    try (Store store = dryRun ? openForReading() : openForWriting()) {
      List<OffsetChange> changes =
          dryRun
              ? store.admin().planResetOffsets(group, topic, p, to)
              : store.admin().resetOffsets(group, topic, p, to);
      if (json()) {
        List<Object> out = new ArrayList<>();
        for (OffsetChange c : changes) {
          out.add(
              Json.object(
                  "partition", c.partition(), "from", c.from(), "to", c.to(), "delta", c.delta()));
        }
        Json.print(
            out(), Json.object("group", group, "topic", topic, "dryRun", dryRun, "changes", out));
        return 0;
      }
      Table table = new Table("PARTITION", "FROM", "TO", "CHANGE");
      for (OffsetChange c : changes) {
        table.row(c.partition(), c.from(), c.to(), (c.delta() > 0 ? "+" : "") + c.delta());
      }
      table.print(out());
      out().println();
      out()
          .printf(
              "%s group %s on %s%n",
              dryRun ? "Dry run, nothing changed: would reset" : "Reset", group, topic);
      return 0;
    }
  }
}
