package io.sluice.cli.internal;

import io.sluice.consumer.admin.TopicView;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code sluice topics}. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "List topics with partitions, retained messages and bytes.")
final class TopicsCommand extends Base {
  @Override
  int run() {
    try (Store store = openForReading()) {
      List<TopicView> topics = store.admin().listTopics();
      if (json()) {
        Json.print(out(), Json.object("topics", Json.list(topics, Json::topic)));
        return 0;
      }
      Table table = new Table("TOPIC", "PARTITIONS", "MESSAGES", "END OFFSETS", "BYTES");
      for (TopicView t : topics) {
        table.row(
            t.name(),
            t.partitions().size(),
            t.retainedMessages(),
            t.endOffsetSum(),
            Table.bytes(t.retainedBytes()));
      }
      table.print(out());
      return 0;
    }
  }
}
