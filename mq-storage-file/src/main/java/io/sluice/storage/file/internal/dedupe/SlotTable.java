package io.sluice.storage.file.internal.dedupe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The open-addressing hash table of one {@link BucketFile}, memory-mapped in chunks of {@code 2^24}
 * slots (each mapping stays under 2 GiB). Slot {@code i} lies at file position {@code 64 + 48 i}; a
 * key's home slot is the low bits of its fingerprint's first word and collisions probe linearly.
 * Slots are never emptied, so a probe for a key ends at the first empty slot. All integers are
 * big-endian.
 *
 * <table>
 *   <caption>Slot (48 bytes)</caption>
 *   <tr><th>Offset</th><th>Size</th><th>Field</th><th>Meaning</th></tr>
 *   <tr><td>0</td><td>16</td><td>fingerprint</td><td>{@link Fingerprint#first()} then {@link
 *       Fingerprint#second()}</td></tr>
 *   <tr><td>16</td><td>8</td><td>offset</td><td>{@link DedupeEntry#offset()}</td></tr>
 *   <tr><td>24</td><td>8</td><td>timestamp</td><td>{@link DedupeEntry#timestamp()}</td></tr>
 *   <tr><td>32</td><td>4</td><td>partition</td><td>{@link DedupeEntry#partition()}</td></tr>
 *   <tr><td>36</td><td>4</td><td>acceptedDelta</td><td>{@link DedupeEntry#acceptedAt()} minus
 *       the bucket's start, unsigned milliseconds</td></tr>
 *   <tr><td>40</td><td>4</td><td>epoch</td><td>the session that wrote the slot, at least 1; 0
 *       marks an empty slot</td></tr>
 *   <tr><td>44</td><td>4</td><td>crc</td><td>CRC-32C of bytes 0–43</td></tr>
 * </table>
 *
 * <p><b>Torn slots.</b> A slot whose CRC does not hold (a write torn by a crash, or a reader racing
 * the writer) never matches a lookup: it reads as absent, the probe goes on past it, and an insert
 * may reuse it. A wrong hit would need a torn slot carrying the looked-up fingerprint and passing
 * the CRC: about {@code 2^-32} per torn slot, and only slots written after the last checkpoint can
 * be torn.
 *
 * <p>Writers are serialized by the owning index; lookups may run concurrently with one writer.
 */
final class SlotTable {
  static final int HEADER = 64;
  static final int SLOT = 48;
  static final int CHUNK_SHIFT = 24;
  static final int COUNT_AT = 44;
  private static final int CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;
  private static final int OFFSET = 16;
  private static final int TIMESTAMP = 24;
  private static final int PARTITION = 32;
  private static final int ACCEPTED = 36;
  private static final int EPOCH = 40;
  private static final int CRC = 44;

  /** Probes an insert may take before the table grows (it is kept at most 70 % full). */
  static final int MAX_PROBE = 512;

  /** {@link #insert} found no room within {@link #MAX_PROBE} slots. */
  static final int FULL = -1;

  /** Decides whether an intact entry still counts: inside the window and not fenced. */
  interface Validity {
    boolean valid(int partition, long offset, int epoch, long acceptedAt, long now);
  }

  final int capacity;
  final long mappedBytes;
  private final int mask;
  private final MappedByteBuffer[] chunks;

  private SlotTable(int capacity, MappedByteBuffer[] chunks, long mappedBytes) {
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.chunks = chunks;
    this.mappedBytes = mappedBytes;
  }

  /** Bytes of a file holding {@code capacity} slots. */
  static long fileSize(int capacity) {
    return HEADER + (long) SLOT * capacity;
  }

  /** Maps a file of {@code capacity} slots (a power of two); the channel may be closed after. */
  static SlotTable map(FileChannel ch, int capacity) throws IOException {
    int perChunk = Math.min(capacity, 1 << CHUNK_SHIFT);
    int n = capacity / perChunk;
    MappedByteBuffer[] chunks = new MappedByteBuffer[n];
    long size = HEADER + (long) SLOT * perChunk;
    for (int c = 0; c < n; c++) {
      chunks[c] = ch.map(FileChannel.MapMode.READ_WRITE, (long) c * perChunk * SLOT, size);
    }
    return new SlotTable(capacity, chunks, size * n);
  }

  int mappings() {
    return chunks.length;
  }

  /** The advisory entry count in the header. */
  int count() {
    return Math.clamp(chunks[0].getInt(COUNT_AT), 0, capacity);
  }

  void count(int count) {
    chunks[0].putInt(COUNT_AT, count);
  }

  /** Writes the 64-byte header (positions 0–63 of the file). */
  void header(ByteBuffer header) {
    chunks[0].put(0, header, 0, HEADER);
  }

  /**
   * Reads the key's home slot and returns a value that depends on it: called for every bucket
   * before probing any, so the cache misses of the buckets overlap instead of queueing.
   */
  int touch(long first) {
    int s = (int) first & mask;
    return chunks[s >>> CHUNK_SHIFT].getInt(pos(s) + EPOCH);
  }

  /** The slot holding a valid entry with this fingerprint, or -1. */
  int find(long first, long second, long start, Validity v, long now) {
    int s = (int) first & mask;
    for (int i = 0; i < capacity; i++, s = (s + 1) & mask) {
      ByteBuffer c = chunks[s >>> CHUNK_SHIFT];
      int p = pos(s);
      if (c.getInt(p + EPOCH) == 0) {
        return -1;
      }
      if (c.getLong(p) == first
          && c.getLong(p + 8) == second
          && intact(c, p)
          && valid(c, p, start, v, now)) {
        return s;
      }
    }
    return -1;
  }

  /**
   * Writes an entry into the first empty or reusable slot (expired, fenced or torn) on the key's
   * probe path and returns the slot; or returns the slot of a valid entry of the key met on the way
   * (writing nothing); or returns {@link #FULL}. Filling an empty slot adds one to the header's
   * count.
   */
  int insert(long first, long second, DedupeEntry e, int epoch, long start, Validity v, long now) {
    int s = (int) first & mask;
    int reuse = -1;
    int limit = Math.min(MAX_PROBE, capacity);
    for (int i = 0; i < limit; i++, s = (s + 1) & mask) {
      ByteBuffer c = chunks[s >>> CHUNK_SHIFT];
      int p = pos(s);
      if (c.getInt(p + EPOCH) == 0) {
        if (reuse >= 0) {
          break;
        }
        write(s, first, second, e, epoch, start);
        count(count() + 1);
        return s;
      }
      boolean mine = c.getLong(p) == first && c.getLong(p + 8) == second;
      if (!valid(c, p, start, v, now) || (mine && !intact(c, p))) {
        reuse = reuse < 0 ? s : reuse;
      } else if (mine) {
        return s;
      }
    }
    if (reuse < 0) {
      return FULL;
    }
    write(reuse, first, second, e, epoch, start);
    return reuse;
  }

  private void write(int s, long first, long second, DedupeEntry e, int epoch, long start) {
    ByteBuffer c = chunks[s >>> CHUNK_SHIFT];
    int p = pos(s);
    c.putLong(p, first).putLong(p + 8, second);
    c.putLong(p + OFFSET, e.offset()).putLong(p + TIMESTAMP, e.timestamp());
    c.putInt(p + PARTITION, e.partition());
    c.putInt(p + ACCEPTED, (int) (e.acceptedAt() - start));
    c.putInt(p + EPOCH, epoch);
    c.putInt(p + CRC, crc(c, p));
  }

  /** The entry in slot {@code s} (which {@link #find} returned). */
  DedupeEntry entry(int s, long start) {
    ByteBuffer c = chunks[s >>> CHUNK_SHIFT];
    int p = pos(s);
    return new DedupeEntry(
        c.getInt(p + PARTITION),
        c.getLong(p + OFFSET),
        c.getLong(p + TIMESTAMP),
        start + (c.getInt(p + ACCEPTED) & 0xffffffffL));
  }

  /**
   * Copies every intact, valid entry into {@code to} (empty, larger); returns how many it copied.
   */
  int copyValidTo(SlotTable to, long start, Validity v, long now) {
    int copied = 0;
    for (int s = 0; s < capacity; s++) {
      ByteBuffer c = chunks[s >>> CHUNK_SHIFT];
      int p = pos(s);
      if (c.getInt(p + EPOCH) != 0 && intact(c, p) && valid(c, p, start, v, now)) {
        int d = (int) c.getLong(p) & to.mask;
        while (to.chunks[d >>> CHUNK_SHIFT].getInt(pos(d) + EPOCH) != 0) {
          d = (d + 1) & to.mask;
        }
        to.chunks[d >>> CHUNK_SHIFT].put(pos(d), c, p, SLOT);
        copied++;
      }
    }
    return copied;
  }

  /** Forces every mapped chunk to the device. */
  void force() {
    for (MappedByteBuffer c : chunks) {
      c.force();
    }
  }

  private static int pos(int s) {
    return HEADER + (s & CHUNK_MASK) * SLOT;
  }

  private static boolean valid(ByteBuffer c, int p, long start, Validity v, long now) {
    return v.valid(
        c.getInt(p + PARTITION),
        c.getLong(p + OFFSET),
        c.getInt(p + EPOCH),
        start + (c.getInt(p + ACCEPTED) & 0xffffffffL),
        now);
  }

  private static boolean intact(ByteBuffer c, int p) {
    return c.getInt(p + CRC) == crc(c, p);
  }

  private static int crc(ByteBuffer c, int p) {
    CRC32C crc = new CRC32C();
    crc.update(c.slice(p, CRC));
    return (int) crc.getValue();
  }
}
