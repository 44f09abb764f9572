package io.sluice.cli.internal;

import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.TopicView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice groups}. */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description = "List consumer groups per topic with lag, in-flight count and pause state.")
final class GroupsCommand extends Base {
  @Option(names = "--topic", description = "Only this topic.")
  String topic;

  @Option(
      names = "--all",
      description = "Include the internal dead-letter admin group (" + SluiceAdmin.DLQ_GROUP + ").")
  boolean all;

  @Override
  int run() {
    try (Store store = openForReading()) {
      List<GroupView> groups = new ArrayList<>();
      List<String> topics =
          topic != null
              ? List.of(store.admin().describeTopic(topic).name())
              : store.admin().listTopics().stream().map(TopicView::name).toList();
      for (String t : topics) {
        for (String g : store.admin().listGroups(t)) {
          if (all || !SluiceAdmin.DLQ_GROUP.equals(g)) {
            groups.add(store.admin().describeGroup(g, t));
          }
        }
      }
      if (json()) {
        Json.print(out(), Json.object("groups", Json.list(groups, Json::group)));
        return 0;
      }
      Table table = new Table("GROUP", "TOPIC", "LAG", "IN FLIGHT", "PAUSED");
      for (GroupView g : groups) {
        table.row(g.group(), g.topic(), g.lag(), g.inFlight(), g.paused() ? "yes" : "no");
      }
      table.print(out());
      return 0;
    }
  }
}
