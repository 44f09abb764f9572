package io.sluice.storage.file.internal.state;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a state file frame by frame through the {@link FileIo} seam, never whole: a window of
 * {@value #CHUNK} bytes (larger only for a frame that does not fit, up to that frame's size) filled
 * by reads of at most {@value #CHUNK} bytes. So a snapshot of any size opens with memory bounded by
 * its largest frame (version 2 snapshots write at most {@link StateCodec#CHUNK} items per frame).
 *
 * <p>Recovery rule, as for the log: a bad frame at the end of the newest journal (a torn write) is
 * cut with a WARN; a bad frame followed by a valid one, or any bad frame in a snapshot or an older
 * journal, is {@link StorageCorruptedException} naming file and position, unless {@code
 * truncateCorrupt} asks to cut the newest journal there.
 */
final class FrameReader {
  private static final Logger LOG = LoggerFactory.getLogger(FrameReader.class);

  /** Window size and the largest single read. */
  static final int CHUNK = 64 << 10;

  /** Receives each record with the file position of its frame. */
  interface Sink {
    void accept(StateRecord record, long position) throws IOException;
  }

  /** What a read found: the end of the valid frames, and whether any was version 1. */
  record Result(long end, boolean sawV1, boolean torn) {
    Result(long end, boolean sawV1) {
      this(end, sawV1, false);
    }
  }

  private final FileChannel ch;
  private final long size;
  private ByteBuffer buf = ByteBuffer.allocate(CHUNK).limit(0);
  private long bufStart;

  private FrameReader(FileChannel ch, long size) {
    this.ch = ch;
    this.size = size;
  }

  /**
   * Reads every frame of {@code file}, passing each record to {@code sink} with the frame's
   * position.
   *
   * @param tail whether the file is the newest journal (a bad last frame is a torn write)
   * @param truncateCorrupt cut the newest journal at a bad frame even if valid frames follow
   */
  static Result read(FileIo io, Path file, boolean tail, boolean truncateCorrupt, Sink sink)
      throws IOException {
    Result r = scan(io, file, tail, truncateCorrupt, true, sink);
    if (r.end() >= 0 && r.torn()) {
      try (FileChannel ch = io.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(r.end());
        ch.force(true);
      }
    }
    return r;
  }

  /**
   * Like {@link #read} but never writes: a bad frame at the end of the newest journal (a torn
   * write, or one a live store is writing now) ends the read and stays where it is.
   */
  static Result readWithoutRepair(FileIo io, Path file, boolean tail, Sink sink)
      throws IOException {
    return scan(io, file, tail, false, false, sink);
  }

  private static Result scan(
      FileIo io, Path file, boolean tail, boolean truncateCorrupt, boolean repair, Sink sink)
      throws IOException {
    long end;
    boolean v1 = false;
    try (FileChannel ch = io.open(file, StandardOpenOption.READ)) {
      FrameReader r = new FrameReader(ch, ch.size());
      long pos = 0;
      while (pos < r.size) {
        int frame = r.frameAt(pos);
        if (frame < 0) {
          break;
        }
        ByteBuffer at = r.buf.duplicate().position((int) (pos - r.bufStart));
        v1 |= StateCodec.isV1(at);
        long framePos = pos;
        try {
          StateCodec.decode(at, frame, rec -> accept(sink, rec, framePos));
        } catch (java.io.UncheckedIOException e) {
          throw e.getCause();
        }
        pos += frame;
      }
      if (pos == r.size) {
        return new Result(pos, v1);
      }
      if (!tail) {
        throw new StorageCorruptedException(file, pos, "state frame fails its CRC");
      }
      if (!truncateCorrupt && r.validFrameAfter(pos + 1)) {
        throw new StorageCorruptedException(
            file, pos, "state frame fails its CRC before valid frames");
      }
      end = pos;
      if (!repair) {
        return new Result(end, v1, true);
      }
      LOG.warn(
          "state journal {}: cut {} bytes of torn or invalid data at position {}",
          file,
          r.size - pos,
          pos);
    }
    return new Result(end, v1, true);
  }

  private static void accept(Sink sink, StateRecord r, long position) {
    try {
      sink.accept(r, position);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The size of the whole, CRC-valid frame at {@code pos} (now in the window), or -1. */
  private int frameAt(long pos) throws IOException {
    if (!fill(pos, (int) Math.min(StateCodec.FRAME_HEADER, size - pos))) {
      return -1;
    }
    ByteBuffer at = buf.duplicate().position((int) (pos - bufStart));
    int frame = StateCodec.frameSize(at, size - pos);
    if (frame < 0 || !fill(pos, frame)) {
      return -1;
    }
    at = buf.duplicate().position((int) (pos - bufStart));
    return StateCodec.check(at, frame) ? frame : -1;
  }

  /** Whether a CRC-valid frame starts anywhere from {@code from} on. */
  private boolean validFrameAfter(long from) throws IOException {
    for (long p = from; p < size; p++) {
      if (frameAt(p) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Makes the window hold the file's bytes {@code [pos, pos + n)}; returns false if the file ends
   * before.
   */
  private boolean fill(long pos, int n) throws IOException {
    if (pos + n > size) {
      return false;
    }
    if (pos >= bufStart && pos + n <= bufStart + buf.limit()) {
      return true;
    }
    int capacity = Math.max(n, CHUNK);
    ByteBuffer next = buf.capacity() == capacity ? buf : ByteBuffer.allocate(capacity);
    boolean overlaps = pos >= bufStart && pos < bufStart + buf.limit();
    if (overlaps && next == buf) {
      buf.position((int) (pos - bufStart));
      buf.compact();
    } else if (overlaps) {
      int from = (int) (pos - bufStart);
      int kept = Math.min(buf.limit() - from, capacity);
      next.clear();
      next.put(buf.duplicate().position(from).limit(from + kept));
    } else {
      next.clear();
    }
    int keep = next.position();
    buf = next;
    bufStart = pos;
    long filePos = pos + keep;
    int want = (int) Math.min(buf.capacity(), size - pos);
    while (buf.position() < want) {
      ByteBuffer dst = buf.duplicate();
      dst.limit(Math.min(want, dst.position() + CHUNK));
      int got = ch.read(dst, filePos);
      if (got < 0) {
        break;
      }
      filePos += got;
      buf.position(dst.position());
    }
    buf.limit(buf.position()).position(0);
    return buf.limit() >= n;
  }
}
