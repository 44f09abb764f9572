package io.sluice.cli.internal;

import io.sluice.cli.ExitCodes;
import io.sluice.storage.file.FileStoreScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice verify}. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check every CRC of a file store: all segments of all partitions, then the group-state"
          + " files. Never modifies the store and takes no lock, so it can run while an"
          + " application holds the store.",
      "Exit code 4 when data is corrupted, naming file and byte position. A torn tail (the end"
          + " of a partition's newest segment, cut at the next open) is reported but is not"
          + " corruption. Progress goes to standard error."
    })
final class VerifyCommand extends Base {
  @Option(
      names = "--progress",
      paramLabel = "<duration>",
      defaultValue = "2s",
      description =
          "Print progress to standard error at most this often (default 2s; 0s: every segment).")
  String progress;

  @Override
  int run() throws IOException {
    requireFileStore("verify checks a file store's CRCs; a database checks its own pages");
    Path dir = Store.fileDirectory(options().location());
    Store.open(options(), false).close(); // checks that a store is there
    long total = totalBytes(dir.resolve("topics"));
    long every = Durations.parse(progress).toNanos();
    long[] seen = {0, System.nanoTime(), 0};
    FileStoreScan.Report report =
        FileStoreScan.scan(
            dir,
            null,
            -1,
            new FileStoreScan.Listener() {
              @Override
              public boolean wantsBatches() {
                return false;
              }

              @Override
              public void segment(FileStoreScan.Segment s, long bytes) {
                long now = System.nanoTime();
                if (now - seen[1] >= every) {
                  err()
                      .printf(
                          "verify: %d%% (%s of %s), %s-%d %s%n",
                          total == 0 ? 100 : seen[0] * 100 / total,
                          Table.bytes(seen[0]),
                          Table.bytes(total),
                          s.topic(),
                          s.partition(),
                          s.file().getFileName());
                  err().flush();
                  seen[1] = now;
                }
                seen[0] += bytes;
              }

              @Override
              public void problem(FileStoreScan.Problem p) {
                String line =
                    (p.kind() == FileStoreScan.ProblemKind.CORRUPT ? "CORRUPT " : "warning: ")
                        + p.file()
                        + " at position "
                        + p.position()
                        + ": "
                        + p.detail();
                err().println(line);
                err().flush();
              }
            });
    if (json()) {
      java.util.List<Object> problems = new java.util.ArrayList<>();
      for (FileStoreScan.Problem p : report.problems()) {
        problems.add(
            Json.object(
                "file", p.file().toString(),
                "position", p.position(),
                "kind", p.kind().name(),
                "detail", p.detail()));
      }
      Json.print(
          out(),
          Json.object(
              "store", dir.toString(),
              "ok", !report.corrupt(),
              "segments", report.segments(),
              "batches", report.batches(),
              "messages", report.messages(),
              "bytes", report.bytes(),
              "problems", problems));
    } else {
      out()
          .printf(
              "%s: %d segments, %d batches, %d messages, %s checked: %s%n",
              dir,
              report.segments(),
              report.batches(),
              report.messages(),
              Table.bytes(report.bytes()),
              report.corrupt()
                  ? "CORRUPTED"
                  : report.problems().isEmpty() ? "OK" : "OK (with a torn tail, see above)");
    }
    return report.corrupt() ? ExitCodes.CORRUPTED : ExitCodes.OK;
  }

  private static long totalBytes(Path topics) throws IOException {
    try (Stream<Path> all = Files.walk(topics)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".log"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
