package io.sluice.storage.file;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.StoredMessage;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.log.LogReader;
import io.sluice.storage.file.internal.log.TopicLog;
import io.sluice.storage.file.internal.state.StateView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scans a file store's segments batch by batch, checking every CRC, without the lock and without
 * writing anything: the engine of {@code sluice dump} and {@code sluice verify}. It can run while
 * another process holds the store open; a batch being written at that moment at the end of a
 * partition's newest segment is reported as a torn tail, which is not corruption (the store cuts a
 * torn tail when it next opens).
 *
 * <pre>{@code
 * FileStoreScan.Report report = FileStoreScan.scan(dir, null, -1, new FileStoreScan.Listener() {});
 * if (report.corrupt()) { report.problems().forEach(System.err::println); }
 * }</pre>
 */
public final class FileStoreScan {
  private FileStoreScan() {}

  /**
   * One segment file of one partition.
   *
   * @param topic the topic
   * @param partition the partition
   * @param file the {@code .log} file
   * @param baseOffset the offset of its first message
   */
  public record Segment(String topic, int partition, Path file, long baseOffset) {}

  /**
   * One CRC-valid batch.
   *
   * @param segment its segment
   * @param position its byte position in the segment file
   * @param length its length in bytes
   * @param messages its messages, decoded, with their offsets
   */
  public record Batch(Segment segment, long position, int length, List<StoredMessage> messages) {}

  /** What is wrong at a position. */
  public enum ProblemKind {
    /**
     * Invalid data at the end of a partition's newest segment with nothing valid after it: a torn
     * write (cut at the next open) or a batch being written now. Not corruption.
     */
    TORN_TAIL,
    /** Invalid data in an older segment, or before valid data, or a bad state file: corruption. */
    CORRUPT
  }

  /**
   * A problem found.
   *
   * @param file the file
   * @param position the byte position where valid data stops
   * @param kind whether it is corruption
   * @param detail what was found
   */
  public record Problem(Path file, long position, ProblemKind kind, String detail) {}

  /**
   * The outcome of a scan.
   *
   * @param segments segment files scanned
   * @param batches valid batches
   * @param messages messages in them
   * @param bytes bytes scanned (file sizes)
   * @param problems every problem, in scan order
   */
  public record Report(
      int segments, long batches, long messages, long bytes, List<Problem> problems) {
    /** Whether any problem is corruption. */
    public boolean corrupt() {
      return problems.stream().anyMatch(p -> p.kind() == ProblemKind.CORRUPT);
    }
  }

  /** Receives the scan as it goes; every method does nothing by default. */
  public interface Listener {
    /** A segment is about to be scanned; {@code bytes} is its file size. */
    default void segment(Segment segment, long bytes) {}

    /** One valid batch (only when {@link #wantsBatches()}). */
    default void batch(Batch batch) {}

    /** Whether to decode batches and call {@link #batch} (a verify does not need them). */
    default boolean wantsBatches() {
      return true;
    }

    /** A problem, as soon as it is found. */
    default void problem(Problem problem) {}
  }

  /**
   * Scans the segments of one topic ({@code null}: every topic) and one partition ({@code -1}:
   * every partition), then (for a whole-store scan) the group-state files.
   *
   * @throws StorageFailedException if {@code directory} holds no file store or cannot be read
   */
  public static Report scan(Path directory, String topic, int partition, Listener listener) {
    Path topics = directory.resolve("topics");
    if (!Files.isDirectory(topics)) {
      throw new StorageFailedException(
          "no file store in " + directory + ": expected a directory with a topics/ folder", null);
    }
    Counter c = new Counter();
    try {
      for (String name : topicNames(topics)) {
        if (topic != null && !topic.equals(name)) {
          continue;
        }
        for (int p : partitions(topics.resolve(name))) {
          if (partition < 0 || partition == p) {
            scanPartition(name, p, topics.resolve(name).resolve(Integer.toString(p)), listener, c);
          }
        }
      }
      if (topic == null) {
        try {
          StateView.read(FileIo.DEFAULT, directory.resolve("state"));
        } catch (StorageCorruptedException e) {
          c.problem(
              listener, new Problem(e.file(), e.position(), ProblemKind.CORRUPT, e.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new StorageFailedException("cannot scan " + directory + ": " + e.getMessage(), e);
    }
    return new Report(c.segments, c.batches, c.messages, c.bytes, List.copyOf(c.problems));
  }

  private static void scanPartition(
      String topic, int partition, Path dir, Listener listener, Counter c) throws IOException {
    List<LogReader.SegmentFile> files = LogReader.segments(dir);
    for (int i = 0; i < files.size(); i++) {
      LogReader.SegmentFile f = files.get(i);
      Segment segment = new Segment(topic, partition, f.file(), f.baseOffset());
      long size = Files.size(f.file());
      listener.segment(segment, size);
      c.segments++;
      c.bytes += size;
      boolean newest = i == files.size() - 1;
      LogReader.ScanEnd end =
          LogReader.scan(
              topic,
              partition,
              f,
              newest,
              (position, length, messages) -> {
                c.batches++;
                c.messages += messages.size();
                if (listener.wantsBatches()) {
                  listener.batch(new Batch(segment, position, length, messages));
                }
              });
      switch (end.kind()) {
        case TORN_TAIL ->
            c.problem(
                listener,
                new Problem(
                    f.file(),
                    end.position(),
                    ProblemKind.TORN_TAIL,
                    (end.fileSize() - end.position())
                        + " bytes of invalid data at the end of the newest segment (a torn write,"
                        + " or a batch being written now)"));
        case CORRUPT ->
            c.problem(
                listener,
                new Problem(
                    f.file(),
                    end.position(),
                    ProblemKind.CORRUPT,
                    "invalid batch (bad magic, length, CRC or offset)"
                        + (newest ? " before valid data" : " in a sealed segment")));
        default -> {}
      }
    }
  }

  private static List<String> topicNames(Path topics) throws IOException {
    try (Stream<Path> dirs = Files.list(topics)) {
      return dirs.filter(d -> Files.exists(d.resolve(TopicLog.CONFIG_FILE)))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  private static List<Integer> partitions(Path topicDir) throws IOException {
    try (Stream<Path> dirs = Files.list(topicDir)) {
      return dirs.map(d -> d.getFileName().toString())
          .filter(n -> n.matches("\\d+"))
          .map(Integer::parseInt)
          .sorted()
          .toList();
    }
  }

  private static final class Counter {
    int segments;
    long batches;
    long messages;
    long bytes;
    final List<Problem> problems = new ArrayList<>();

    void problem(Listener listener, Problem p) {
      problems.add(p);
      listener.problem(p);
    }
  }
}
