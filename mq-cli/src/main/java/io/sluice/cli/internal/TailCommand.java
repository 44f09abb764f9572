package io.sluice.cli.internal;

import io.sluice.api.Position;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.consumer.admin.BrowsedMessage;
import io.sluice.consumer.admin.PartitionView;
import io.sluice.consumer.admin.TopicView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice tail <topic>}. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print a topic's last messages, or the messages from a position; with --follow, keep"
          + " printing new ones as they arrive. Reads the log only: no group, nothing claimed.",
      "With --json, one JSON object per line."
    })
final class TailCommand extends Base {
  @Parameters(index = "0", paramLabel = "<topic>", description = "The topic.")
  String topic;

  @Option(
      names = {"-p", "--partition"},
      description = "Only this partition (default: all).")
  Integer partition;

  @Option(
      names = {"-n", "--lines"},
      defaultValue = "10",
      description = "Start this many messages before the end of each partition (default 10).")
  int lines;

  @Option(
      names = "--from",
      paramLabel = "<position>",
      description = "Start here instead: earliest, latest, an offset, or an ISO-8601 time.")
  String from;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new messages until interrupted (or --timeout, --max).")
  boolean follow;

  @Option(
      names = "--max",
      paramLabel = "<n>",
      description = "Stop after printing this many messages.")
  Long max;

  @Option(
      names = "--timeout",
      paramLabel = "<duration>",
      description = "With --follow: stop after this long (ISO-8601, e.g. PT30S, or 30s).")
  String timeout;

  @Option(
      names = "--poll",
      defaultValue = "200",
      paramLabel = "<ms>",
      description = "With --follow: milliseconds between looks for new messages (default 200).")
  long pollMillis;

  private long printed;

  @Override
  int run() throws InterruptedException {
    try (Store store = openForReading()) {
      SluiceAdmin admin = store.admin();
      TopicView t = admin.describeTopic(topic);
      int count = t.partitions().size();
      long[] next = new long[count];
      for (PartitionView p : t.partitions()) {
        boolean wanted = partition == null || partition == p.partition();
        if (partition != null && (partition < 0 || partition >= count)) {
          throw new io.sluice.api.error.InvalidPartitionException(topic, partition, count);
        }
        next[p.partition()] =
            !wanted
                ? -1
                : from != null
                    ? start(admin, p, Positions.parse(from))
                    : Math.max(p.logStartOffset(), p.endOffset() - lines);
      }
      long deadline =
          timeout == null ? Long.MAX_VALUE : System.nanoTime() + Durations.parse(timeout).toNanos();
      while (true) {
        boolean any = drain(admin, next);
        if (done() || !follow || System.nanoTime() >= deadline) {
          return 0;
        }
        if (!any) {
          Thread.sleep(pollMillis);
        }
      }
    }
  }

  /** The offset {@code position} names in a partition: its first message there, or the end. */
  private long start(SluiceAdmin admin, PartitionView p, Position position) {
    List<BrowsedMessage> first = admin.browse(topic, p.partition(), position, 1);
    return first.isEmpty() ? p.endOffset() : first.get(0).offset();
  }

  private boolean done() {
    return max != null && printed >= max;
  }

  /** Prints what each partition has from its next offset on; returns whether anything came. */
  private boolean drain(SluiceAdmin admin, long[] next) {
    boolean any = false;
    for (int p = 0; p < next.length && !done(); p++) {
      if (next[p] < 0) {
        continue;
      }
      List<BrowsedMessage> batch =
          admin.browse(topic, p, Position.offset(next[p]), SluiceAdmin.MAX_BROWSE);
      for (BrowsedMessage m : batch) {
        if (m.offset() < next[p] || done()) {
          continue;
        }
        print(m);
        next[p] = m.offset() + 1;
        any = true;
      }
    }
    out().flush();
    return any;
  }

  private void print(BrowsedMessage m) {
    printed++;
    if (json()) {
      Json.line(out(), Json.message(m.topic(), m.partition(), m.offset(), m.message()));
      return;
    }
    out()
        .printf(
            "%s-%d@%d  %s  key=%s  %s%n",
            m.topic(),
            m.partition(),
            m.offset(),
            m.message().timestamp(),
            m.message().key() == null ? "-" : m.message().key(),
            Json.preview(m.message().payload(), 200));
  }
}
