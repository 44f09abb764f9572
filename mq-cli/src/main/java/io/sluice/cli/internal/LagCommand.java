package io.sluice.cli.internal;

import io.sluice.cli.ExitCodes;
import io.sluice.consumer.admin.GroupPartitionView;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.TopicView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice lag <group>}. */
@Command(
    name = "lag",
    mixinStandardHelpOptions = true,
    description =
        "Show a group's lag per partition: committed offset, end offset, lag, in flight. Without"
            + " --topic, on every topic the group has read.")
final class LagCommand extends Base {
  @Parameters(index = "0", paramLabel = "<group>", description = "The consumer group.")
  String group;

  @Option(names = "--topic", description = "Only this topic.")
  String topic;

  @Override
  int run() {
    try (Store store = openForReading()) {
      List<GroupView> views = new ArrayList<>();
      if (topic != null) {
        views.add(store.admin().describeGroup(group, topic));
      } else {
        for (TopicView t : store.admin().listTopics()) {
          if (store.admin().listGroups(t.name()).contains(group)) {
            views.add(store.admin().describeGroup(group, t.name()));
          }
        }
        if (views.isEmpty()) {
          throw new CliException(
              ExitCodes.NOT_FOUND, "group " + group + " has not read any topic of this store");
        }
      }
      if (json()) {
        List<Object> out = Json.list(views, Json::group);
        Json.print(
            out(),
            Json.object(
                "group",
                group,
                "lag",
                views.stream().mapToLong(GroupView::lag).sum(),
                "topics",
                out));
        return 0;
      }
      Table table =
          new Table("TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "IN FLIGHT", "PAUSED");
      long total = 0;
      for (GroupView v : views) {
        for (GroupPartitionView p : v.partitions()) {
          table.row(
              v.topic(),
              p.partition(),
              p.committedOffset(),
              p.endOffset(),
              p.lag(),
              p.inFlight(),
              v.paused() ? "yes" : "no");
        }
        total += v.lag();
      }
      table.print(out());
      out().println();
      out().printf("Total lag of %s: %d%n", group, total);
      return 0;
    }
  }
}
