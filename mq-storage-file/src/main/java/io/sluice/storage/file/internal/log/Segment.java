package io.sluice.storage.file.internal.log;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition: {@code <base offset, 20 digits>.log} with its batches and {@code
 * .index} with its sparse index. Appends are positional writes at the end; the index entries of the
 * active segment are buffered in memory and written to {@code .index} in chunks, at roll and at
 * close (the index is only a hint: {@link #recover} rebuilds what is missing). Not thread-safe for
 * writers (the partition lock serializes them); reads are positional and may run concurrently.
 */
public final class Segment {
  private static final Logger LOG = LoggerFactory.getLogger(Segment.class);
  private static final int INDEX_FLUSH_ENTRIES = 512;

  /**
   * Batches smaller than this go through the mapping (a memory store beats a system call); larger
   * ones through {@code pwrite}, which beats taking a page fault per fresh 4 KiB page (measured:
   * batches of 100 × 256 B ran at 2.5–3.2 M msg/s mapped, 4.3–4.9 M msg/s written).
   */
  static final int MAPPED_WRITE_MAX = 4096;

  private final FileIo io;
  private final Path logFile;
  private final Path indexFile;
  private final long baseOffset;
  private final FileChannel channel;
  private final int indexInterval;
  private final long createdMillis;
  private volatile OffsetIndex index;
  private volatile long size;
  private MappedByteBuffer map;
  private long nextOffset;
  private long bytesSinceIndex;
  private int persistedEntries;
  private long maxTimestamp = Long.MIN_VALUE;

  private Segment(FileIo io, Path dir, long baseOffset, FileChannel ch, int interval, long now)
      throws IOException {
    this.io = io;
    this.baseOffset = baseOffset;
    this.logFile = dir.resolve(fileName(baseOffset, ".log"));
    this.indexFile = dir.resolve(fileName(baseOffset, ".index"));
    this.channel = ch;
    this.indexInterval = interval;
    this.createdMillis = now;
    this.size = ch.size();
    this.nextOffset = baseOffset;
  }

  /** {@code 00000000000000000042.log}. */
  public static String fileName(long baseOffset, String suffix) {
    return String.format("%020d%s", baseOffset, suffix);
  }

  /** Creates an empty segment file (the caller forces the directory). */
  static Segment create(FileIo io, Path dir, long baseOffset, int interval, long now)
      throws IOException {
    Path file = dir.resolve(fileName(baseOffset, ".log"));
    FileChannel ch =
        io.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment s = new Segment(io, dir, baseOffset, ch, interval, now);
    s.index = OffsetIndex.empty();
    io.delete(s.indexFile);
    return s;
  }

  /** Opens an existing segment; its index is loaded on first use (sealed) or by recovery. */
  static Segment open(FileIo io, Path dir, long baseOffset, int interval, long now)
      throws IOException {
    Path file = dir.resolve(fileName(baseOffset, ".log"));
    FileChannel ch = io.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Segment(io, dir, baseOffset, ch, interval, now);
  }

  /** The offset of the segment's first message (also its file name). */
  public long baseOffset() {
    return baseOffset;
  }

  /** Bytes of valid data written so far. */
  public long size() {
    return size;
  }

  /** The {@code .log} file. */
  public Path file() {
    return logFile;
  }

  FileChannel channel() {
    return channel;
  }

  long createdMillis() {
    return createdMillis;
  }

  long nextOffset() {
    return nextOffset;
  }

  /** Appends one encoded batch (the buffer's remaining bytes). */
  void append(ByteBuffer batch, long batchBase, int count, long batchMaxTimestamp)
      throws IOException {
    int length = batch.remaining();
    long position = size;
    if (bytesSinceIndex >= indexInterval || index.count() == 0) {
      index.add((int) (batchBase - baseOffset), (int) position);
      bytesSinceIndex = 0;
    }
    MappedByteBuffer m = map;
    if (m != null && length < MAPPED_WRITE_MAX && position + length <= m.capacity()) {
      try {
        m.put((int) position, batch, batch.position(), length);
      } catch (InternalError e) {
        // the JVM's report of SIGBUS on a mapped page: no space left for a sparse file's block
        throw new IOException("mapped write failed at " + position + " (disk full?)", e);
      }
      batch.position(batch.limit());
    } else {
      FileIo.writeFully(channel, batch, position);
    }
    bytesSinceIndex += length;
    size = position + length;
    nextOffset = batchBase + count;
    maxTimestamp = Math.max(maxTimestamp, batchMaxTimestamp);
    if (index.count() - persistedEntries >= INDEX_FLUSH_ENTRIES) {
      persistIndex();
    }
  }

  /** The byte position to start scanning from to find {@code offset}. */
  long lookup(long offset) throws IOException {
    OffsetIndex idx = loadedIndex();
    int i = idx.floor((int) Math.min(Integer.MAX_VALUE, offset - baseOffset));
    return i < 0 ? 0 : idx.position(i) & 0xffffffffL;
  }

  /** Called when a lookup's position did not hold the expected batch: rebuild the index. */
  void indexFailed(long position) throws IOException {
    LOG.warn(
        "index {} pointed to position {} without a matching batch; rebuilding",
        indexFile,
        position);
    index = rebuild(size);
  }

  private OffsetIndex loadedIndex() throws IOException {
    OffsetIndex idx = index;
    if (idx == null) {
      idx = loadIndex(size);
      if (idx == null) {
        LOG.warn("index {} is missing or invalid; rebuilding it from the log", indexFile);
        idx = rebuild(size);
      }
      index = idx;
    }
    return idx;
  }

  private OffsetIndex loadIndex(long logBytes) throws IOException {
    if (!Files.exists(indexFile)) {
      return null;
    }
    long bytes = Files.size(indexFile);
    if (bytes % 8 != 0 || bytes > Integer.MAX_VALUE) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) bytes);
    try (FileChannel ch = io.open(indexFile, StandardOpenOption.READ)) {
      FileIo.readFully(ch, buf, 0);
    }
    buf.flip();
    int n = (int) (bytes / 8);
    long[] e = new long[Math.max(64, n)];
    for (int i = 0; i < n; i++) {
      e[i] = buf.getLong();
    }
    OffsetIndex idx = new OffsetIndex(e, n);
    if (!idx.plausible(logBytes)) {
      return null;
    }
    persistedEntries = n;
    return idx;
  }

  private OffsetIndex rebuild(long limit) throws IOException {
    OffsetIndex idx = OffsetIndex.empty();
    BatchCursor cursor = new BatchCursor(channel, 0, limit, new byte[1 << 16]);
    long since = Long.MAX_VALUE / 2;
    while (cursor.next() == BatchCursor.Step.BATCH) {
      if (since >= indexInterval) {
        long base = BatchCodec.baseOffset(cursor.buffer(), cursor.offsetInBuffer());
        idx.add((int) (base - baseOffset), (int) cursor.position());
        since = 0;
      }
      since += cursor.length();
    }
    persistedEntries = 0;
    return idx;
  }

  /**
   * Validates the tail of this (the active) segment from its last index entry: batches must be
   * whole, CRC-valid and have dense offsets. A torn or zero-filled tail is cut with a WARN; an
   * invalid batch followed by valid data raises {@link StorageCorruptedException} unless {@code
   * truncateCorrupt}. Returns the bytes cut.
   */
  long recover(boolean truncateCorrupt) throws IOException {
    long fileSize = channel.size();
    OffsetIndex idx = loadIndex(fileSize);
    if (idx == null) {
      idx = OffsetIndex.empty();
    }
    int last = idx.count() - 1;
    long start = last < 0 ? 0 : idx.position(last) & 0xffffffffL;
    long expected = last < 0 ? baseOffset : baseOffset + idx.relativeOffset(last);
    idx.truncate(Math.max(0, last));
    index = idx;
    persistedEntries = 0;
    bytesSinceIndex = indexInterval;
    BatchCursor cursor = new BatchCursor(channel, start, fileSize, new byte[1 << 16]);
    long cutAt = -1;
    size = start;
    nextOffset = expected;
    BatchCursor.Step step;
    while ((step = cursor.next()) == BatchCursor.Step.BATCH) {
      byte[] b = cursor.buffer();
      int at = cursor.offsetInBuffer();
      if (BatchCodec.baseOffset(b, at) != nextOffset) {
        cutAt = cursor.position();
        break;
      }
      acceptRecovered(b, at, cursor.position(), cursor.length());
    }
    if (step == BatchCursor.Step.INVALID) {
      cutAt = cursor.position();
    }
    if (cutAt < 0) {
      persistIndex();
      return 0;
    }
    if (!truncateCorrupt && validBatchAfter(cutAt, fileSize)) {
      throw new StorageCorruptedException(
          logFile, cutAt, "invalid batch (bad magic, length, CRC or offset) before valid data");
    }
    long cut = fileSize - cutAt;
    LOG.warn(
        "recovered {}: cut {} bytes of torn or invalid data at position {}", logFile, cut, cutAt);
    channel.truncate(cutAt);
    channel.force(true);
    size = cutAt;
    persistIndex();
    return cut;
  }

  private void acceptRecovered(byte[] b, int at, long position, int length) {
    long base = BatchCodec.baseOffset(b, at);
    if (index.count() == 0 || bytesSinceIndex >= indexInterval) {
      if (index.count() == 0 || (index.position(index.count() - 1) & 0xffffffffL) < position) {
        index.add((int) (base - baseOffset), (int) position);
      }
      bytesSinceIndex = 0;
    }
    bytesSinceIndex += length;
    size = position + length;
    nextOffset = base + BatchCodec.count(b, at);
    maxTimestamp = Math.max(maxTimestamp, BatchCodec.maxTimestamp(b, at));
  }

  private boolean validBatchAfter(long from, long fileSize) throws IOException {
    if (onlyZerosAfter(from, fileSize)) {
      return false;
    }
    long remaining = fileSize - from;
    if (remaining <= BatchCodec.HEADER_SIZE || remaining > Integer.MAX_VALUE) {
      return remaining > Integer.MAX_VALUE;
    }
    byte[] rest = new byte[(int) remaining];
    FileIo.readFully(channel, ByteBuffer.wrap(rest), from);
    for (int q = 1; q + BatchCodec.HEADER_SIZE <= rest.length; q++) {
      if (rest[q] == BatchCodec.MAGIC_V1) {
        int len = BatchCodec.checkedLength(rest, q, rest.length - q);
        if (len > 0
            && BatchCodec.crcHolds(rest, q, len)
            && BatchCodec.baseOffset(rest, q) >= nextOffset) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the file holds only zero bytes from {@code from} (a preallocated, unwritten tail). */
  private boolean onlyZerosAfter(long from, long fileSize) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    for (long at = from; at < fileSize; at += chunk.limit()) {
      chunk.clear();
      int n = FileIo.readFully(channel, chunk, at);
      for (int i = 0; i < n; i++) {
        if (chunk.get(i) != 0) {
          return false;
        }
      }
      if (n == 0) {
        break;
      }
      chunk.limit(n);
    }
    return true;
  }

  /** The largest message timestamp (epoch ms), scanning from the last index entry if unknown. */
  long maxTimestamp() throws IOException {
    if (maxTimestamp == Long.MIN_VALUE && size > 0) {
      OffsetIndex idx = loadedIndex();
      long start = idx.count() == 0 ? 0 : idx.position(idx.count() - 1) & 0xffffffffL;
      BatchCursor cursor = new BatchCursor(channel, start, size, new byte[1 << 16]);
      while (cursor.next() == BatchCursor.Step.BATCH) {
        long ts = BatchCodec.maxTimestamp(cursor.buffer(), cursor.offsetInBuffer());
        maxTimestamp = Math.max(maxTimestamp, ts);
      }
    }
    return maxTimestamp;
  }

  /** Writes the index entries not yet on disk. */
  void persistIndex() throws IOException {
    OffsetIndex idx = index;
    if (idx == null || persistedEntries >= idx.count()) {
      return;
    }
    int from = persistedEntries;
    ByteBuffer buf = ByteBuffer.allocate((idx.count() - from) * 8);
    for (int i = from; i < idx.count(); i++) {
      buf.putInt(idx.relativeOffset(i)).putInt(idx.position(i));
    }
    buf.flip();
    StandardOpenOption mode =
        from == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.WRITE;
    try (FileChannel ch =
        io.open(indexFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      FileIo.writeFully(ch, buf, (long) from * 8);
    }
    persistedEntries = idx.count();
  }

  /**
   * Cuts this (the active) segment back to {@code bytes}, where the batch holding offset {@code
   * next} would start, dropping the index entries beyond (the index file is rewritten whole).
   */
  void cutTo(long bytes, long next) throws IOException {
    channel.truncate(bytes);
    size = bytes;
    nextOffset = next;
    OffsetIndex idx = index;
    if (idx != null) {
      int keep = 0;
      while (keep < idx.count() && (idx.position(keep) & 0xffffffffL) < bytes) {
        keep++;
      }
      idx.truncate(keep);
    }
    persistedEntries = 0;
    bytesSinceIndex = indexInterval;
    maxTimestamp = Long.MIN_VALUE;
  }

  void force() throws IOException {
    MappedByteBuffer m = map;
    if (m != null) {
      m.force(0, (int) Math.min(size, m.capacity()));
    }
    channel.force(false);
  }

  /**
   * Makes this (the active) segment take appends through a memory mapping of {@code capacity}
   * bytes: a store into the page cache, no system call per append. The file is extended (sparse) to
   * the capacity; {@link #unmap} or recovery cuts the zero tail.
   */
  void mapForWrites(int capacity) throws IOException {
    map = channel.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(capacity, size));
  }

  /** Stops mapped appends and cuts the file back to its data. */
  void unmap() throws IOException {
    if (map != null) {
      map = null;
      channel.truncate(size);
    }
  }

  void close() throws IOException {
    channel.close();
  }

  /** Closes and deletes both files, the log first. */
  void delete() throws IOException {
    channel.close();
    io.delete(logFile);
    io.delete(indexFile);
  }
}
