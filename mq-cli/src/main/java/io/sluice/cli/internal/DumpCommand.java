package io.sluice.cli.internal;

import io.sluice.api.Message;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.FileStoreScan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice dump}. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
      "Decode a file store's segments: every batch with its byte position, offsets and CRC"
          + " status, and its messages. Reads without the lock and writes nothing.",
      "With --json, one JSON object per line: segment, batch (with messages) and problem events."
    })
final class DumpCommand extends Base {
  @Option(names = "--topic", description = "Only this topic.")
  String topic;

  @Option(
      names = {"-p", "--partition"},
      description = "Only this partition.")
  Integer partition;

  @Option(names = "--no-messages", description = "Print only the batches, not their messages.")
  boolean noMessages;

  @Override
  int run() {
    requireFileStore("dump reads a file store's segment files; on a database use tail");
    Path dir = Store.fileDirectory(options().location());
    Store.open(options(), false).close(); // checks that a store is there
    FileStoreScan.Report report =
        FileStoreScan.scan(
            dir,
            topic,
            partition == null ? -1 : partition,
            new FileStoreScan.Listener() {
              @Override
              public void segment(FileStoreScan.Segment s, long bytes) {
                if (json()) {
                  Json.line(
                      out(),
                      Json.object(
                          "type", "segment",
                          "topic", s.topic(),
                          "partition", s.partition(),
                          "file", dir.relativize(s.file()).toString(),
                          "baseOffset", s.baseOffset(),
                          "bytes", bytes));
                } else {
                  out()
                      .printf(
                          "%s (%s-%d, base offset %d, %d bytes)%n",
                          dir.relativize(s.file()),
                          s.topic(),
                          s.partition(),
                          s.baseOffset(),
                          bytes);
                }
              }

              @Override
              public void batch(FileStoreScan.Batch b) {
                printBatch(b);
              }

              @Override
              public void problem(FileStoreScan.Problem p) {
                if (json()) {
                  Json.line(
                      out(),
                      Json.object(
                          "type", "problem",
                          "file", dir.relativize(p.file()).toString(),
                          "position", p.position(),
                          "kind", p.kind().name(),
                          "detail", p.detail()));
                } else {
                  out()
                      .printf(
                          "  %s at position %d: %s%n",
                          p.kind() == FileStoreScan.ProblemKind.CORRUPT ? "CORRUPT" : "torn tail",
                          p.position(),
                          p.detail());
                }
              }
            });
    if (!json()) {
      out()
          .printf(
              "%d segments, %d batches, %d messages, %s%s%n",
              report.segments(),
              report.batches(),
              report.messages(),
              Table.bytes(report.bytes()),
              report.corrupt() ? ": CORRUPTED" : "");
    }
    return report.corrupt() ? io.sluice.cli.ExitCodes.CORRUPTED : 0;
  }

  private void printBatch(FileStoreScan.Batch b) {
    List<StoredMessage> ms = b.messages();
    long first = ms.get(0).offset();
    long last = ms.get(ms.size() - 1).offset();
    if (json()) {
      List<Object> decoded = new ArrayList<>();
      if (!noMessages) {
        for (StoredMessage m : ms) {
          decoded.add(Json.message(m.topic(), m.partition(), m.offset(), m.message()));
        }
      }
      java.util.Map<String, Object> line =
          Json.object(
              "type", "batch",
              "topic", b.segment().topic(),
              "partition", b.segment().partition(),
              "position", b.position(),
              "length", b.length(),
              "firstOffset", first,
              "lastOffset", last,
              "count", ms.size(),
              "crc", "ok");
      if (!noMessages) {
        line.put("messages", decoded);
      }
      Json.line(out(), line);
      return;
    }
    out()
        .printf(
            "  batch at %d: offsets %d..%d (%d), %d bytes, crc ok%n",
            b.position(), first, last, ms.size(), b.length());
    if (!noMessages) {
      for (StoredMessage m : ms) {
        Message msg = m.message();
        out()
            .printf(
                "    %d  %s  key=%s  headers=%d  %s%n",
                m.offset(),
                msg.timestamp(),
                msg.key() == null ? "-" : msg.key(),
                msg.headers().size(),
                Json.preview(msg.payload(), 120));
      }
    }
  }
}
