package io.sluice.storage.file.internal.dedupe;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * A dedupe index's {@code dedupe.meta}: its hash key and its durable {@link IndexState}, version 1.
 * All integers are big-endian.
 *
 * <table>
 *   <caption>Header (bytes 0–31; the file's first 512 bytes are reserved for it)</caption>
 *   <tr><th>Offset</th><th>Size</th><th>Field</th><th>Meaning</th></tr>
 *   <tr><td>0</td><td>4</td><td>magic</td><td>{@code 0x534C444D} ("SLDM")</td></tr>
 *   <tr><td>4</td><td>2</td><td>version</td><td>{@code 1}</td></tr>
 *   <tr><td>6</td><td>2</td><td>reserved</td><td>0</td></tr>
 *   <tr><td>8</td><td>16</td><td>hashKey</td><td>the {@link Fingerprint} key, {@code k0} then
 *       {@code k1}; random, chosen when the index is created</td></tr>
 *   <tr><td>24</td><td>4</td><td>slotBytes</td><td>size of each state slot, a multiple of 512</td></tr>
 *   <tr><td>28</td><td>4</td><td>headerCrc</td><td>CRC-32C of bytes 0–27</td></tr>
 * </table>
 *
 * <p>Two state slots follow, slot {@code i} at {@code 512 + i * slotBytes}. State {@code n} is
 * written to slot {@code n mod 2}, so a torn write destroys at most the slot being written and the
 * other still holds the previous state; a reader takes the valid slot with the larger sequence.
 *
 * <table>
 *   <caption>State slot</caption>
 *   <tr><th>Offset</th><th>Size</th><th>Field</th><th>Meaning</th></tr>
 *   <tr><td>0</td><td>4</td><td>length</td><td>bytes used by this state, 32 to {@code
 *       slotBytes}</td></tr>
 *   <tr><td>4</td><td>4</td><td>crc</td><td>CRC-32C of bytes 8 to {@code length - 1}</td></tr>
 *   <tr><td>8</td><td>8</td><td>sequence</td><td>at least 1</td></tr>
 *   <tr><td>16</td><td>4</td><td>epoch</td><td>at least 1</td></tr>
 *   <tr><td>20</td><td>4</td><td>flags</td><td>bit 0: dirty; other bits 0</td></tr>
 *   <tr><td>24</td><td>4</td><td>checkpointCount</td><td>{@code c}</td></tr>
 *   <tr><td>28</td><td>4</td><td>fenceCount</td><td>{@code f}</td></tr>
 *   <tr><td>32</td><td>12 c</td><td>checkpoints</td><td>(partition u32, offset i64), partitions
 *       increasing</td></tr>
 *   <tr><td></td><td>…</td><td>fences</td><td>{@code f} times: epoch u32, lastBucketStart i64,
 *       otherBound i64, pair count u32, then (partition u32, bound i64) pairs</td></tr>
 * </table>
 *
 * <p>A new file is written whole under a temporary name, forced and renamed into place; a state too
 * large for its slot rewrites the file the same way with larger slots.
 */
final class MetaFile {
  static final String NAME = "dedupe.meta";
  static final int MAGIC = 0x534C444D;
  static final short VERSION = 1;
  static final int HEADER_AREA = 512;
  private static final int HEADER_CRC_AT = 28;
  private static final int STATE_FIXED = 32;
  private static final int MAX_SLOT_BYTES = 64 << 20;

  final Path path;
  final long k0;
  final long k1;
  private final int slotBytes;

  private MetaFile(Path path, long k0, long k1, int slotBytes) {
    this.path = path;
    this.k0 = k0;
    this.k1 = k1;
    this.slotBytes = slotBytes;
  }

  /** Creates {@code path} holding {@code state}, durably (temp file, force, rename, force dir). */
  static MetaFile create(FileIo io, Path path, long k0, long k1, IndexState state)
      throws IOException {
    int slot = slotSizeFor(encode(state).remaining());
    MetaFile m = new MetaFile(path, k0, k1, slot);
    m.rewrite(io, state);
    return m;
  }

  /** A meta file read back with its current state. */
  record Loaded(MetaFile meta, IndexState state) {}

  /**
   * Reads {@code dir}'s meta file, or creates the directory and the file (with a key from {@code
   * newKey}) if there is none and no bucket file either.
   */
  static Loaded openOrCreate(FileIo io, Path dir, Supplier<long[]> newKey) throws IOException {
    Files.createDirectories(dir);
    Path path = dir.resolve(NAME);
    if (Files.exists(path)) {
      return read(io, path);
    }
    int orphans = BucketFile.countIn(dir);
    if (orphans > 0) {
      throw new StorageCorruptedException(
          path, 0, "expected the index's meta file beside " + orphans + " bucket files");
    }
    long[] k = newKey.get();
    IndexState initial = IndexState.initial();
    return new Loaded(create(io, path, k[0], k[1], initial), initial);
  }

  /** Reads {@code path}; throws {@link StorageCorruptedException} if no valid state is there. */
  static Loaded read(FileIo io, Path path) throws IOException {
    try (FileChannel ch = io.open(path, StandardOpenOption.READ)) {
      ByteBuffer h = ByteBuffer.allocate(32);
      if (FileIo.readFully(ch, h, 0) < 32) {
        throw new StorageCorruptedException(path, 0, "header truncated; expected 32 bytes");
      }
      checkHeader(path, h);
      int slot = h.getInt(24);
      IndexState best = null;
      for (int i = 0; i < 2; i++) {
        long at = HEADER_AREA + (long) i * slot;
        IndexState s = readSlot(ch, at, slot);
        if (s != null && (best == null || s.sequence() > best.sequence())) {
          best = s;
        }
      }
      if (best == null) {
        throw new StorageCorruptedException(
            path, HEADER_AREA, "expected a valid state slot, found none");
      }
      return new Loaded(new MetaFile(path, h.getLong(8), h.getLong(16), slot), best);
    }
  }

  private static void checkHeader(Path path, ByteBuffer h) {
    if (h.getInt(0) != MAGIC) {
      throw new StorageCorruptedException(
          path, 0, "expected magic 0x534C444D, found 0x" + Integer.toHexString(h.getInt(0)));
    }
    if (h.getShort(4) != VERSION) {
      throw new StorageCorruptedException(
          path, 4, "expected format version 1, found " + h.getShort(4));
    }
    int crc = crc(h, 0, HEADER_CRC_AT);
    if (h.getInt(HEADER_CRC_AT) != crc) {
      throw new StorageCorruptedException(
          path, HEADER_CRC_AT, "header CRC mismatch (expected " + crc + ")");
    }
    int slot = h.getInt(24);
    if (slot < 512 || slot % 512 != 0 || slot > MAX_SLOT_BYTES) {
      throw new StorageCorruptedException(
          path, 24, "expected a slot size that is a multiple of 512, found " + slot);
    }
  }

  /** The state in a slot, or null if the slot is empty, torn or otherwise invalid. */
  private static IndexState readSlot(FileChannel ch, long at, int slot) throws IOException {
    ByteBuffer len = ByteBuffer.allocate(8);
    if (FileIo.readFully(ch, len, at) < 8) {
      return null;
    }
    int length = len.getInt(0);
    if (length < STATE_FIXED || length > slot) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(length);
    if (FileIo.readFully(ch, b, at) < length || b.getInt(4) != crc(b, 8, length)) {
      return null;
    }
    try {
      return decode(b);
    } catch (RuntimeException e) {
      return null; // a CRC-valid slot with impossible contents is treated as torn
    }
  }

  /**
   * Writes {@code state} into its slot and forces it; returns this file, or the rewritten one with
   * larger slots if the state did not fit.
   */
  MetaFile write(FileIo io, IndexState state) throws IOException {
    ByteBuffer b = encode(state);
    if (b.remaining() > slotBytes) {
      MetaFile bigger = new MetaFile(path, k0, k1, slotSizeFor(b.remaining()));
      bigger.rewrite(io, state);
      return bigger;
    }
    try (FileChannel ch = io.open(path, StandardOpenOption.WRITE)) {
      FileIo.writeFully(ch, b, HEADER_AREA + (state.sequence() & 1) * slotBytes);
      ch.force(false);
    }
    return this;
  }

  private void rewrite(FileIo io, IndexState state) throws IOException {
    Path tmp = path.resolveSibling(NAME + ".tmp");
    io.delete(tmp);
    try (FileChannel ch = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer h = ByteBuffer.allocate(HEADER_AREA + 2 * slotBytes);
      h.putInt(0, MAGIC).putShort(4, VERSION).putLong(8, k0).putLong(16, k1);
      h.putInt(24, slotBytes).putInt(HEADER_CRC_AT, crc(h, 0, HEADER_CRC_AT));
      ByteBuffer s = encode(state);
      h.put((int) (HEADER_AREA + (state.sequence() & 1) * slotBytes), s, 0, s.remaining());
      FileIo.writeFully(ch, h, 0);
      ch.force(true);
    }
    io.move(tmp, path);
    io.forceDirectory(path.getParent());
  }

  private static int slotSizeFor(int bytes) {
    int size = 512;
    while (size < bytes * 2 && size < MAX_SLOT_BYTES) {
      size <<= 1;
    }
    if (bytes > size) {
      throw new IllegalStateException("dedupe index state of " + bytes + " bytes is too large");
    }
    return size;
  }

  static ByteBuffer encode(IndexState s) {
    int[] cps = present(s.checkpoints(), -1);
    int size = STATE_FIXED + 12 * cps.length;
    List<int[]> fencePairs = new ArrayList<>();
    for (IndexState.Fence f : s.fences()) {
      int[] p = present(f.bounds(), f.otherBound());
      fencePairs.add(p);
      size += 24 + 12 * p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(size).putInt(0).putLong(s.sequence()).putInt(s.epoch()).putInt(s.dirty() ? 1 : 0);
    b.putInt(cps.length).putInt(s.fences().size());
    for (int p : cps) {
      b.putInt(p).putLong(s.checkpoints()[p]);
    }
    for (int i = 0; i < s.fences().size(); i++) {
      IndexState.Fence f = s.fences().get(i);
      int[] pairs = fencePairs.get(i);
      b.putInt(f.epoch()).putLong(f.lastBucketStart()).putLong(f.otherBound());
      b.putInt(pairs.length);
      for (int p : pairs) {
        b.putInt(p).putLong(f.bounds()[p]);
      }
    }
    b.putInt(4, crc(b, 8, size));
    return b.flip();
  }

  /** The indexes of {@code values} that differ from {@code absent}. */
  private static int[] present(long[] values, long absent) {
    return java.util.stream.IntStream.range(0, values.length)
        .filter(i -> values[i] != absent)
        .toArray();
  }

  static IndexState decode(ByteBuffer b) {
    b.position(8);
    long sequence = b.getLong();
    int epoch = b.getInt();
    int flags = b.getInt();
    int cpCount = b.getInt();
    int fenceCount = b.getInt();
    if (sequence < 1 || epoch < 1 || (flags & ~1) != 0 || cpCount < 0 || fenceCount < 0) {
      throw new IllegalArgumentException("impossible state header");
    }
    long[] cps = pairs(b, cpCount, -1);
    List<IndexState.Fence> fences = new ArrayList<>();
    for (int i = 0; i < fenceCount; i++) {
      int fenceEpoch = b.getInt();
      long lastStart = b.getLong();
      long other = b.getLong();
      fences.add(new IndexState.Fence(fenceEpoch, lastStart, other, pairs(b, b.getInt(), other)));
    }
    return new IndexState(sequence, epoch, (flags & 1) != 0, cps, fences);
  }

  private static long[] pairs(ByteBuffer b, int count, long absent) {
    if (count < 0 || count > DedupeEntry.MAX_PARTITION + 1 || count * 12L > b.remaining()) {
      throw new IllegalArgumentException("impossible pair count " + count);
    }
    int[] partitions = new int[count];
    long[] values = new long[count];
    int max = -1;
    for (int i = 0; i < count; i++) {
      partitions[i] = b.getInt();
      values[i] = b.getLong();
      if (partitions[i] <= max || partitions[i] > DedupeEntry.MAX_PARTITION) {
        throw new IllegalArgumentException("partitions out of order");
      }
      max = partitions[i];
    }
    long[] out = new long[max + 1];
    Arrays.fill(out, absent);
    for (int i = 0; i < count; i++) {
      out[partitions[i]] = values[i];
    }
    return out;
  }

  static int crc(ByteBuffer b, int from, int to) {
    CRC32C c = new CRC32C();
    c.update(b.slice(from, to - from));
    return (int) c.getValue();
  }
}
