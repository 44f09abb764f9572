package io.sluice.storage.file.internal.dedupe;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * One time bucket of a {@link DedupeIndex}: the entries accepted in {@code [start, end)}, in a
 * {@link SlotTable} file named {@code <start, 20 digits>-<log2 capacity, 2 digits>.bucket}. All
 * integers are big-endian.
 *
 * <table>
 *   <caption>Header (64 bytes), then {@code capacity} slots of 48 bytes</caption>
 *   <tr><th>Offset</th><th>Size</th><th>Field</th><th>Meaning</th></tr>
 *   <tr><td>0</td><td>4</td><td>magic</td><td>{@code 0x534C4442} ("SLDB")</td></tr>
 *   <tr><td>4</td><td>2</td><td>version</td><td>{@code 1}</td></tr>
 *   <tr><td>6</td><td>2</td><td>slotBytes</td><td>{@code 48}</td></tr>
 *   <tr><td>8</td><td>8</td><td>start</td><td>first accept time, epoch milliseconds (as in the
 *       name)</td></tr>
 *   <tr><td>16</td><td>8</td><td>end</td><td>accept times are below it; {@code end - start} is 1 to
 *       {@code 2^32 - 1}</td></tr>
 *   <tr><td>24</td><td>4</td><td>log2Capacity</td><td>{@value #MIN_LOG2} to {@value #MAX_LOG2} (as
 *       in the name)</td></tr>
 *   <tr><td>28</td><td>4</td><td>reserved</td><td>0</td></tr>
 *   <tr><td>32</td><td>8</td><td>hashCheck</td><td>the first word of the fingerprint of {@code
 *       "sluice-dedupe-bucket"} under the index's key: ties the file to its {@link
 *       MetaFile}</td></tr>
 *   <tr><td>40</td><td>4</td><td>headerCrc</td><td>CRC-32C of bytes 0–39</td></tr>
 *   <tr><td>44</td><td>4</td><td>count</td><td>slots filled; advisory (not covered by a CRC, may
 *       lag after a crash), only used to decide when to grow</td></tr>
 *   <tr><td>48</td><td>16</td><td>reserved</td><td>0</td></tr>
 * </table>
 *
 * <p><b>Files appear whole.</b> A new or grown file is written under {@code <name>.tmp}: header,
 * zeroed slots (written, not sparse, so a full disk fails a write rather than a mapped store),
 * copied entries; then forced, renamed to its name and the directory forced. So a file under a
 * bucket name always has a complete header. Growth doubles the capacity into a new file and then
 * deletes the old one; if both survive a crash, the larger one wins on open.
 *
 * <p>Not thread-safe for writers: the owning index serializes them. {@link #table} may be read
 * concurrently.
 */
final class BucketFile {
  static final int MAGIC = 0x534C4442;
  static final short VERSION = 1;
  static final int MIN_LOG2 = 4;
  static final int MAX_LOG2 = 30;
  static final String SUFFIX = ".bucket";
  private static final Pattern NAME = Pattern.compile("(-\\d{19}|\\d{20})-(\\d{2})\\.bucket");
  private static final int HEADER_CRC_AT = 40;
  private static final int MAX_LOAD_PERCENT = 70;
  private static final int ZEROS = 1 << 20;

  final Path path;
  final long start;
  final long end;
  final int log2Capacity;
  private volatile SlotTable table;
  private boolean dirty;

  private BucketFile(Path path, long start, long end, int log2Capacity) {
    this.path = path;
    this.start = start;
    this.end = end;
    this.log2Capacity = log2Capacity;
  }

  /** A bucket file's name parts. */
  record Name(long start, int log2Capacity) {
    static Name parse(String fileName) {
      Matcher m = NAME.matcher(fileName);
      try {
        return m.matches()
            ? new Name(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)))
            : null;
      } catch (NumberFormatException e) {
        return null; // 20 digits beyond a long: not one of ours
      }
    }

    String fileName() {
      return String.format("%020d-%02d%s", start, log2Capacity, SUFFIX);
    }
  }

  /** Whether an entry in this bucket can still be live at {@code now}. */
  boolean mayHoldLive(long now, long window) {
    return now - window < end - 1;
  }

  /** Creates an empty bucket file durably. */
  static BucketFile create(FileIo io, Path dir, long start, long end, int log2, long hashCheck)
      throws IOException {
    Path path = dir.resolve(new Name(start, log2).fileName());
    Path tmp = write(io, path, start, end, log2, hashCheck, null);
    publish(io, tmp, path);
    return new BucketFile(path, start, end, log2);
  }

  /**
   * Writes {@code <path>.tmp}: header and zeroed slots, then the valid entries of {@code from} if
   * given; forces it. Returns the temporary path.
   */
  private static Path write(
      FileIo io, Path path, long start, long end, int log2, long hashCheck, Copy from)
      throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    io.delete(tmp);
    int capacity = 1 << log2;
    try (FileChannel ch =
        io.open(
            tmp,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      FileIo.writeFully(ch, header(start, end, log2, hashCheck), 0);
      ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZEROS, SlotTable.fileSize(capacity)));
      for (long at = SlotTable.HEADER; at < SlotTable.fileSize(capacity); ) {
        int n = (int) Math.min(zeros.capacity(), SlotTable.fileSize(capacity) - at);
        FileIo.writeFully(ch, zeros.clear().limit(n), at);
        at += n;
      }
      if (from != null) {
        SlotTable t = SlotTable.map(ch, capacity);
        t.count(from.source().copyValidTo(t, start, from.validity(), from.now()));
        t.force();
      }
      ch.force(true);
    }
    return tmp;
  }

  private record Copy(SlotTable source, SlotTable.Validity validity, long now) {}

  private static void publish(FileIo io, Path tmp, Path path) throws IOException {
    io.move(tmp, path);
    io.forceDirectory(path.getParent());
  }

  static ByteBuffer header(long start, long end, int log2, long hashCheck) {
    ByteBuffer h = ByteBuffer.allocate(SlotTable.HEADER);
    h.putInt(0, MAGIC).putShort(4, VERSION).putShort(6, (short) SlotTable.SLOT);
    h.putLong(8, start).putLong(16, end).putInt(24, log2).putLong(32, hashCheck);
    CRC32C crc = new CRC32C();
    crc.update(h.slice(0, HEADER_CRC_AT));
    return h.putInt(HEADER_CRC_AT, (int) crc.getValue());
  }

  /**
   * Opens an existing bucket file by reading its header; throws {@link StorageCorruptedException}
   * naming the file and position if the header or size is wrong.
   */
  static BucketFile open(FileIo io, Path path, Name name, long hashCheck) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(SlotTable.HEADER);
    long size;
    try (FileChannel ch = io.open(path, StandardOpenOption.READ)) {
      size = ch.size();
      if (FileIo.readFully(ch, h, 0) < SlotTable.HEADER) {
        throw new StorageCorruptedException(
            path, 0, "header truncated: expected 64 bytes, found " + size);
      }
    }
    check(path, h, 0, MAGIC, "magic 0x534C4442");
    check(path, h, 4, VERSION, "format version 1");
    check(path, h, 6, SlotTable.SLOT, "slot size 48");
    CRC32C crc = new CRC32C();
    crc.update(h.slice(0, HEADER_CRC_AT));
    check(path, h, HEADER_CRC_AT, (int) crc.getValue(), "header CRC " + (int) crc.getValue());
    checkLong(path, h, 8, name.start(), "start " + name.start() + " (from the file name)");
    check(path, h, 24, name.log2Capacity(), "log2 capacity " + name.log2Capacity());
    long start = h.getLong(8);
    long end = h.getLong(16);
    if (end <= start || end - start > 0xffffffffL) {
      throw new StorageCorruptedException(
          path, 16, "expected an end 1 to 2^32-1 ms after start " + start + ", found " + end);
    }
    checkLong(path, h, 32, hashCheck, "the hash check of this index's key");
    int log2 = name.log2Capacity();
    if (log2 < MIN_LOG2 || log2 > MAX_LOG2) {
      throw new StorageCorruptedException(
          path, 24, "expected log2 capacity " + MIN_LOG2 + " to " + MAX_LOG2 + ", found " + log2);
    }
    if (size < SlotTable.fileSize(1 << log2)) {
      throw new StorageCorruptedException(
          path,
          size,
          "truncated: expected " + SlotTable.fileSize(1 << log2) + " bytes, found " + size);
    }
    return new BucketFile(path, start, end, log2);
  }

  /**
   * Opens every bucket file in {@code dir}, newest (largest start) first. Deletes leftover {@code
   * .tmp} files and, where a growth left two files of one start, the smaller one.
   */
  static List<BucketFile> openAll(FileIo io, Path dir, long hashCheck) throws IOException {
    Map<Long, Name> largest = new TreeMap<>(Comparator.reverseOrder());
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        Name name = Name.parse(n);
        if (n.endsWith(".tmp")) {
          stale.add(f);
        } else if (name != null) {
          Name other = largest.get(name.start());
          if (other == null || other.log2Capacity() < name.log2Capacity()) {
            largest.put(name.start(), name);
          }
          if (other != null) {
            Name smaller = other.log2Capacity() < name.log2Capacity() ? other : name;
            stale.add(dir.resolve(smaller.fileName()));
          }
        }
      }
    }
    for (Path f : stale) {
      io.delete(f);
    }
    List<BucketFile> out = new ArrayList<>();
    for (Name name : largest.values()) {
      out.add(open(io, dir.resolve(name.fileName()), name, hashCheck));
    }
    return out;
  }

  /** How many bucket files {@code dir} holds. */
  static int countIn(Path dir) throws IOException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        n += Name.parse(f.getFileName().toString()) != null ? 1 : 0;
      }
    }
    return n;
  }

  private static void check(Path path, ByteBuffer h, int at, int expected, String what) {
    int found = at == 4 || at == 6 ? h.getShort(at) : h.getInt(at);
    if (found != expected) {
      throw new StorageCorruptedException(path, at, "expected " + what + ", found " + found);
    }
  }

  private static void checkLong(Path path, ByteBuffer h, int at, long expected, String what) {
    if (h.getLong(at) != expected) {
      throw new StorageCorruptedException(
          path, at, "expected " + what + ", found " + h.getLong(at));
    }
  }

  /** The mapped table, or null if released. */
  SlotTable table() {
    return table;
  }

  /** Maps the file (the caller holds the index lock and charges the budget). */
  SlotTable map(FileIo io) throws IOException {
    SlotTable t = table;
    if (t == null) {
      try (FileChannel ch = io.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        t = SlotTable.map(ch, 1 << log2Capacity);
      }
      table = t;
    }
    return t;
  }

  /** Whether an insert needs a larger table first. */
  boolean full(SlotTable t) {
    return (t.count() + 1L) * 100 > (long) t.capacity * MAX_LOAD_PERCENT;
  }

  void written() {
    dirty = true;
  }

  /** Forces written slots to the device. */
  void force() {
    SlotTable t = table;
    if (dirty && t != null) {
      t.force();
    }
    dirty = false;
  }

  /** Drops the mapping without forcing it; returns it (null if none). */
  SlotTable drop() {
    SlotTable t = table;
    table = null;
    return t;
  }

  /** Forces and drops the mapping; returns it (null if none) so the budget can be discharged. */
  SlotTable release() {
    SlotTable t = table;
    force();
    table = null;
    return t;
  }

  /**
   * A copy with twice the capacity (or more, up to {@link #MAX_LOG2}) holding this bucket's valid
   * entries, durable under its own name; this file is deleted (best effort: if that fails the
   * larger file wins on the next open).
   */
  BucketFile grow(FileIo io, long hashCheck, SlotTable.Validity v, long now) throws IOException {
    SlotTable old = table;
    int log2 = Math.min(MAX_LOG2, log2Capacity + 1);
    if (log2 == log2Capacity) {
      throw new IllegalStateException(path + " is full at 2^" + MAX_LOG2 + " slots");
    }
    Path next = path.resolveSibling(new Name(start, log2).fileName());
    publish(io, write(io, next, start, end, log2, hashCheck, new Copy(old, v, now)), next);
    try {
      io.delete(path);
    } catch (IOException e) {
      // A mapped file cannot be deleted on some systems; the next open deletes the smaller file.
    }
    return new BucketFile(next, start, end, log2);
  }

  /** Deletes the file (best effort; a later open deletes an expired file again). */
  void delete(FileIo io) {
    table = null;
    try {
      io.delete(path);
    } catch (IOException e) {
      // Still mapped somewhere on a system that refuses; it has expired, so any open drops it.
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
