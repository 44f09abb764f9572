package io.sluice.cli.internal;

import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.PartitionView;
import io.sluice.consumer.admin.TopicView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice topic describe <topic>}. */
@Command(
    name = "topic",
    mixinStandardHelpOptions = true,
    description = "Topic commands.",
    subcommands = TopicCommand.Describe.class)
final class TopicCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: describe");
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description =
          "Show a topic: configuration, partitions (offsets, bytes) and the groups reading it.")
  static final class Describe extends Base {
    @Parameters(index = "0", paramLabel = "<topic>", description = "The topic.")
    String topic;

    @Override
    int run() {
      try (Store store = openForReading()) {
        TopicView t = store.admin().describeTopic(topic);
        List<GroupView> groups = new ArrayList<>();
        for (String g : store.admin().listGroups(topic)) {
          groups.add(store.admin().describeGroup(g, topic));
        }
        if (json()) {
          Json.print(out(), describe(t, groups));
          return 0;
        }
        out()
            .printf(
                "Topic %s: %d partitions, retention %s%s%s, max message %d bytes, dedupe window %s%n",
                t.name(),
                t.partitions().size(),
                t.config().retention() == null ? "forever" : t.config().retention(),
                t.config().retentionBytes() > 0
                    ? ", " + Table.bytes(t.config().retentionBytes()) + " per partition"
                    : "",
                t.config().retainUntilConsumed() ? ", until consumed" : "",
                t.config().maxMessageBytes(),
                t.config().dedupeWindow());
        out().println();
        Table parts = new Table("PARTITION", "LOG START", "END", "MESSAGES", "BYTES");
        for (PartitionView p : t.partitions()) {
          parts.row(
              p.partition(),
              p.logStartOffset(),
              p.endOffset(),
              p.retainedMessages(),
              Table.bytes(p.retainedBytes()));
        }
        parts.print(out());
        out().println();
        if (groups.isEmpty()) {
          out().println("No consumer group has read this topic.");
          return 0;
        }
        Table table = new Table("GROUP", "LAG", "IN FLIGHT", "PAUSED");
        for (GroupView g : groups) {
          table.row(
              g.group() + (SluiceAdmin.DLQ_GROUP.equals(g.group()) ? " (dead-letter admin)" : ""),
              g.lag(),
              g.inFlight(),
              g.paused() ? "yes" : "no");
        }
        table.print(out());
        return 0;
      }
    }

    private static Object describe(TopicView t, List<GroupView> groups) {
      java.util.Map<String, Object> out = Json.topic(t);
      out.put("maxMessageBytes", t.config().maxMessageBytes());
      out.put("dedupeWindow", t.config().dedupeWindow().toString());
      out.put("groups", Json.list(groups, Json::group));
      return out;
    }
  }
}
