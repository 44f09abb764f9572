package io.sluice.storage.file.internal.log;

import io.sluice.spi.StoredMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads one partition directory without writing anything and without the store's lock, for a
 * read-only view of a store another process may hold open: segment files are opened for reading
 * only, indexes are used when they hold and never rebuilt, and data that does not form a valid
 * batch at the end of the newest segment (a torn write, the zero-filled tail of a mapped segment,
 * or a batch being written now) ends the log there instead of being cut.
 */
public final class LogReader {
  private static final int BUFFER = 1 << 16;

  private LogReader() {}

  /**
   * One segment file.
   *
   * @param file the {@code .log} file
   * @param baseOffset the offset of its first message (its name)
   */
  public record SegmentFile(Path file, long baseOffset) {}

  /**
   * A partition's retained range.
   *
   * @param logStart the first segment's base offset
   * @param end the offset after the last valid batch
   * @param bytes the segments' bytes (the newest one's valid bytes)
   */
  public record Range(long logStart, long end, long bytes) {}

  /** How a scan of one segment ended. */
  public enum EndKind {
    /** At the end of the file. */
    CLEAN,
    /** At zeros that run to the end of the file (a mapped segment's unused tail). */
    ZERO_TAIL,
    /** At invalid data with no valid batch after it in the newest segment: a torn write. */
    TORN_TAIL,
    /** At invalid data in an older segment or before a valid batch: corruption. */
    CORRUPT
  }

  /**
   * The end of a scan.
   *
   * @param position the byte position where valid data ends
   * @param kind why it ends there
   * @param fileSize the file's size
   */
  public record ScanEnd(long position, EndKind kind, long fileSize) {}

  /** Receives each valid batch of a scan. */
  public interface BatchVisitor {
    /**
     * One CRC-valid batch.
     *
     * @param position its byte position in the segment
     * @param length its length in bytes
     * @param messages its records, decoded
     */
    void batch(long position, int length, List<StoredMessage> messages) throws IOException;
  }

  /** The partition's segment files, sorted by base offset. */
  public static List<SegmentFile> segments(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("\\d{20}\\.log"))
          .map(p -> new SegmentFile(p, Long.parseLong(p.getFileName().toString().substring(0, 20))))
          .sorted(java.util.Comparator.comparingLong(SegmentFile::baseOffset))
          .toList();
    }
  }

  /** The partition's retained range, scanning only the newest segment from its last index entry. */
  public static Range range(Path dir) throws IOException {
    List<SegmentFile> segments = segments(dir);
    if (segments.isEmpty()) {
      return new Range(0, 0, 0);
    }
    long bytes = 0;
    for (int i = 0; i < segments.size() - 1; i++) {
      bytes += size(segments.get(i).file());
    }
    SegmentFile last = segments.get(segments.size() - 1);
    long[] end = {last.baseOffset(), 0};
    try (FileChannel ch = FileChannel.open(last.file(), StandardOpenOption.READ)) {
      long start = indexFloor(last, Long.MAX_VALUE, ch.size());
      if (!walk(ch, last, start, end)) {
        end[0] = last.baseOffset();
        walk(ch, last, 0, end);
      }
    }
    return new Range(segments.get(0).baseOffset(), end[0], bytes + end[1]);
  }

  /** Walks batches from {@code start}; false if the batch there does not continue the log. */
  private static boolean walk(FileChannel ch, SegmentFile seg, long start, long[] end)
      throws IOException {
    BatchCursor c = new BatchCursor(ch, start, ch.size(), new byte[BUFFER], 4096);
    boolean first = true;
    while (c.next() == BatchCursor.Step.BATCH) {
      long base = BatchCodec.baseOffset(c.buffer(), c.offsetInBuffer());
      if (first && start > 0 && base < seg.baseOffset()) {
        return false;
      }
      first = false;
      end[0] = base + BatchCodec.count(c.buffer(), c.offsetInBuffer());
      end[1] = c.position() + c.length();
    }
    return !(first && start > 0);
  }

  /**
   * Up to {@code max} messages from {@code from} on, in offset order, stopping at the end of valid
   * data.
   */
  public static List<StoredMessage> read(String topic, int partition, Path dir, long from, int max)
      throws IOException {
    List<StoredMessage> out = new ArrayList<>();
    List<SegmentFile> segments = segments(dir);
    for (int i = 0; i < segments.size() && out.size() < max; i++) {
      SegmentFile seg = segments.get(i);
      long next = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : Long.MAX_VALUE;
      if (next <= from) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
        long start = indexFloor(seg, from, ch.size());
        if (!readFrom(ch, topic, partition, start, from, max, out) && start > 0) {
          readFrom(ch, topic, partition, 0, from, max, out);
        }
      } catch (NoSuchFileException e) {
        // removed by retention meanwhile: its messages are gone
      }
    }
    return out;
  }

  private static boolean readFrom(
      FileChannel ch,
      String topic,
      int partition,
      long start,
      long from,
      int max,
      List<StoredMessage> out)
      throws IOException {
    BatchCursor c = new BatchCursor(ch, start, ch.size(), new byte[BUFFER], 4096);
    boolean first = true;
    while (out.size() < max && c.next() == BatchCursor.Step.BATCH) {
      byte[] b = c.buffer();
      int at = c.offsetInBuffer();
      long base = BatchCodec.baseOffset(b, at);
      if (first && base > from) {
        return start == 0;
      }
      first = false;
      if (base + BatchCodec.count(b, at) > from) {
        BatchCodec.decode(b, at, from, Long.MAX_VALUE, max - out.size(), topic, partition, out);
      }
    }
    return true;
  }

  /**
   * The offset of the first message at or after {@code t}, or the end offset if none: batches whose
   * largest timestamp is earlier are skipped without decoding.
   */
  public static long offsetForTimestamp(String topic, int partition, Path dir, Instant t)
      throws IOException {
    long millis = t.toEpochMilli();
    long end = range(dir).end();
    for (SegmentFile seg : segments(dir)) {
      try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
        BatchCursor c = new BatchCursor(ch, 0, ch.size(), new byte[BUFFER], 4096);
        while (c.next() == BatchCursor.Step.BATCH) {
          byte[] b = c.buffer();
          int at = c.offsetInBuffer();
          if (BatchCodec.maxTimestamp(b, at) < millis) {
            continue;
          }
          List<StoredMessage> batch = new ArrayList<>();
          BatchCodec.decode(b, at, 0, Long.MAX_VALUE, Integer.MAX_VALUE, topic, partition, batch);
          for (StoredMessage m : batch) {
            if (!m.message().timestamp().isBefore(t)) {
              return m.offset();
            }
          }
        }
      } catch (NoSuchFileException e) {
        // removed by retention meanwhile
      }
    }
    return end;
  }

  /**
   * Scans a whole segment, CRC-checking every batch and handing each valid one to {@code visitor};
   * reports how the valid data ends. {@code newest}: whether it is the partition's newest segment,
   * where invalid data with nothing valid after it is a torn write rather than corruption.
   */
  public static ScanEnd scan(
      String topic, int partition, SegmentFile seg, boolean newest, BatchVisitor visitor)
      throws IOException {
    try (FileChannel ch = FileChannel.open(seg.file(), StandardOpenOption.READ)) {
      long size = ch.size();
      BatchCursor c = new BatchCursor(ch, 0, size, new byte[BUFFER]);
      long expected = seg.baseOffset();
      BatchCursor.Step step;
      while ((step = c.next()) == BatchCursor.Step.BATCH) {
        byte[] b = c.buffer();
        int at = c.offsetInBuffer();
        if (BatchCodec.baseOffset(b, at) != expected) {
          step = BatchCursor.Step.INVALID;
          break;
        }
        List<StoredMessage> batch = new ArrayList<>();
        BatchCodec.decode(b, at, 0, Long.MAX_VALUE, Integer.MAX_VALUE, topic, partition, batch);
        expected += BatchCodec.count(b, at);
        visitor.batch(c.position(), c.length(), batch);
      }
      if (step == BatchCursor.Step.END) {
        return new ScanEnd(size, EndKind.CLEAN, size);
      }
      long at = c.position();
      if (zerosFrom(ch, at, size)) {
        return new ScanEnd(at, EndKind.ZERO_TAIL, size);
      }
      boolean validAfter = validBatchAfter(ch, at + 1, size);
      return new ScanEnd(at, newest && !validAfter ? EndKind.TORN_TAIL : EndKind.CORRUPT, size);
    }
  }

  private static boolean zerosFrom(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    for (long p = from; p < size; ) {
      buf.clear();
      int n = io.sluice.storage.file.internal.io.FileIo.readFully(ch, buf, p);
      if (n <= 0) {
        return true;
      }
      for (int i = 0; i < n; i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
      p += n;
    }
    return true;
  }

  private static boolean validBatchAfter(FileChannel ch, long from, long size) throws IOException {
    for (long p = from; p + BatchCodec.HEADER_SIZE <= size; p++) {
      BatchCursor c = new BatchCursor(ch, p, size, new byte[4096], 4096);
      if (c.next() == BatchCursor.Step.BATCH) {
        return true;
      }
    }
    return false;
  }

  /** The position of the last index entry at or below {@code offset}, or 0 when none holds. */
  private static long indexFloor(SegmentFile seg, long offset, long logBytes) throws IOException {
    Path index = seg.file().resolveSibling(Segment.fileName(seg.baseOffset(), ".index"));
    long found = 0;
    try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ)) {
      long n = ch.size() / 8;
      ByteBuffer entry = ByteBuffer.allocate(8);
      long lo = 0;
      long hi = n - 1;
      while (lo <= hi) {
        long mid = (lo + hi) >>> 1;
        entry.clear();
        if (io.sluice.storage.file.internal.io.FileIo.readFully(ch, entry, mid * 8) < 8) {
          return 0;
        }
        long rel = entry.getInt(0) & 0xffffffffL;
        long position = entry.getInt(4) & 0xffffffffL;
        if (seg.baseOffset() + rel <= offset) {
          found = position < logBytes ? position : 0;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    }
    return found;
  }

  private static long size(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }
}
