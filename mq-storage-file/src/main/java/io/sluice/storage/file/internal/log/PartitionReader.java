package io.sluice.storage.file.internal.log;

import io.sluice.api.error.OffsetOutOfRangeException;
import io.sluice.api.error.StorageCorruptedException;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.StoredMessage;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The read path of a {@link SegmentSet}: find the segment with {@code floorEntry}, the position
 * with its sparse index, then read batches sequentially through a pooled buffer, checking each CRC,
 * never past the visible mark. A segment deleted by retention under a reader surfaces as {@link
 * OffsetOutOfRangeException}.
 */
final class PartitionReader {
  private PartitionReader() {}

  /**
   * Reads up to {@code max} visible messages from {@code from}.
   *
   * @throws OffsetOutOfRangeException outside {@code [logStart, end]}
   * @throws StorageCorruptedException when a batch fails its checks
   */
  static List<StoredMessage> read(SegmentSet log, long from, int max) {
    SegmentSet.Mark vis = log.visibleMark();
    long start = log.logStart();
    if (from < start || from > vis.endOffset()) {
      throw new OffsetOutOfRangeException(
          log.topic(), log.partition(), from, start, vis.endOffset());
    }
    int want = (int) Math.min(max, vis.endOffset() - from);
    List<StoredMessage> out = new ArrayList<>(Math.max(0, want));
    if (want <= 0) {
      return out;
    }
    byte[] buffer = log.settings().buffers().takeRead();
    try {
      Map.Entry<Long, Segment> e = log.segmentMap().floorEntry(from);
      while (e != null && out.size() < want) {
        Segment seg = e.getValue();
        long limit = seg == vis.segment() ? vis.bytes() : seg.size();
        readSegment(log, seg, limit, from + out.size(), vis.endOffset(), want, out, buffer);
        if (seg == vis.segment()) {
          break;
        }
        e = log.segmentMap().higherEntry(e.getKey());
      }
      return out;
    } catch (ClosedChannelException closed) {
      throw new OffsetOutOfRangeException(
          log.topic(), log.partition(), from, log.logStart(), log.endOffset());
    } catch (IOException io) {
      throw new StorageFailedException(
          "read of " + log.topic() + "-" + log.partition() + " failed", io);
    } finally {
      log.settings().buffers().giveRead(buffer);
    }
  }

  private static void readSegment(
      SegmentSet log,
      Segment seg,
      long limit,
      long from,
      long until,
      int want,
      List<StoredMessage> out,
      byte[] buffer)
      throws IOException {
    long position = seg.lookup(from);
    int firstChunk = (int) Math.min(buffer.length, 8192L + (long) (want - out.size()) * 512);
    BatchCursor cursor = new BatchCursor(seg.channel(), position, limit, buffer, firstChunk);
    boolean first = true;
    long next = from;
    while (out.size() < want) {
      BatchCursor.Step step = cursor.next();
      if (step == BatchCursor.Step.END) {
        return;
      }
      byte[] b = cursor.buffer();
      int at = cursor.offsetInBuffer();
      boolean misplaced = step == BatchCursor.Step.BATCH && BatchCodec.baseOffset(b, at) > next;
      if (first && position > 0 && (step == BatchCursor.Step.INVALID || misplaced)) {
        seg.indexFailed(position);
        readSegment(log, seg, limit, from, until, want, out, buffer);
        return;
      }
      if (step == BatchCursor.Step.INVALID || misplaced) {
        throw new StorageCorruptedException(
            seg.file(),
            cursor.position(),
            misplaced
                ? "expected a batch holding offset " + next + ", found one starting later"
                : "batch fails its magic, length or CRC check");
      }
      first = false;
      int added =
          BatchCodec.decode(
              b, at, next, until, want - out.size(), log.topic(), log.partition(), out);
      if (added > 0) {
        next = out.get(out.size() - 1).offset() + 1;
      }
    }
  }

  /** The first offset whose message timestamp is at or after {@code ts}, or the end. */
  static long offsetForTimestamp(SegmentSet log, Instant ts) {
    long millis = ts.toEpochMilli();
    try {
      for (Map.Entry<Long, Segment> e : log.segmentMap().entrySet()) {
        Map.Entry<Long, Segment> following = log.segmentMap().higherEntry(e.getKey());
        if (following != null && e.getValue().maxTimestamp() < millis) {
          continue;
        }
        long segmentEnd = following == null ? Long.MAX_VALUE : following.getKey();
        long at = Math.max(log.logStart(), e.getKey());
        while (at < Math.min(segmentEnd, log.endOffset())) {
          List<StoredMessage> batch = read(log, at, 1000);
          for (StoredMessage m : batch) {
            if (!m.message().timestamp().isBefore(ts)) {
              return m.offset();
            }
          }
          at = batch.get(batch.size() - 1).offset() + 1;
        }
      }
      return log.endOffset();
    } catch (IOException e) {
      throw new StorageFailedException(
          "timestamp lookup in " + log.topic() + "-" + log.partition(), e);
    }
  }
}
