package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The byte format of the group-state journal and snapshots, version 2. A file is a sequence of
 * frames; all integers are big-endian.
 *
 * <table>
 *   <caption>Frame (9-byte header, then the body)</caption>
 *   <tr><th>Offset</th><th>Size</th><th>Field</th><th>Meaning</th></tr>
 *   <tr><td>0</td><td>1</td><td>magic</td><td>{@code 0x82}: format version 2 (a version 1 frame
 *       starts with the high byte of its length, {@code 0x00} to {@code 0x04}; {@link
 *       StateCodecV1})</td></tr>
 *   <tr><td>1</td><td>4</td><td>length</td><td>body bytes, 1 to {@value #MAX_FRAME}</td></tr>
 *   <tr><td>5</td><td>4</td><td>crc</td><td>CRC-32C of bytes 0–4 (magic and length) followed by
 *       the body</td></tr>
 *   <tr><td>9</td><td>length</td><td>body</td><td>a type byte, then the record's fields</td></tr>
 * </table>
 *
 * <p>Field encodings: {@code str} = 2-byte unsigned length, then that many UTF-8 bytes; {@code
 * i32}/{@code i64} = 4/8-byte two's complement; times are {@code i64} epoch microseconds, {@code
 * Long.MIN_VALUE} for none; a range is {@code start i64, end i64}, the offsets {@code [start,
 * end)}.
 *
 * <table>
 *   <caption>Record types (body = type byte + fields)</caption>
 *   <tr><th>Type</th><th>Fields</th><th>Meaning</th></tr>
 *   <tr><td>1 Open</td><td>epoch i64</td><td>the store was opened for the epoch-th time</td></tr>
 *   <tr><td>2 Cursor</td><td>group str, topic str, partition i32, committed i64</td><td>sets the
 *       committed offset and clears the partition's per-message state</td></tr>
 *   <tr><td>3 Done</td><td>group, topic, partition, n i32, n ranges, k i32, k × (key str, at
 *       i64)</td><td>the offsets are acked; the keys are the processed keys those acks
 *       recorded</td></tr>
 *   <tr><td>4 Entries</td><td>group, topic, partition, n i32, n × (offset i64, attempts i32,
 *       firstDeliveredAt i64, nextVisible i64)</td><td>each offset is not done, with its attempts,
 *       first delivery and retry time</td></tr>
 *   <tr><td>5 Started</td><td>group, topic, partition, attempts i32, firstDeliveredAt i64, n i32, n
 *       ranges</td><td>each offset in the ranges as in an Entries record with these values and no
 *       retry time</td></tr>
 * </table>
 *
 * Sizes: an ack of one run of offsets is a 42-byte frame plus the two names; a snapshot holds per
 * partition one Cursor, its done ranges and its special messages, in frames of at most {@value
 * #CHUNK} ranges or entries.
 */
public final class StateCodec {
  /** The version 2 magic byte. */
  public static final byte MAGIC = (byte) 0x82;

  /** Frame header bytes (version 2). */
  public static final int FRAME_HEADER = 9;

  /** Largest frame body accepted when reading: 64 MiB. */
  public static final int MAX_FRAME = 64 << 20;

  /** Most ranges or entries one snapshot frame holds. */
  static final int CHUNK = 4096;

  private StateCodec() {}

  /** Encodes records as consecutive frames. */
  public static byte[] encode(List<? extends StateRecord> records) {
    int size = 0;
    for (StateRecord r : records) {
      size += FRAME_HEADER + bodySize(r);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (StateRecord r : records) {
      write(out, r);
    }
    return out.array();
  }

  /** Encoded bytes of one record's frame. */
  static int frameSize(StateRecord r) {
    return FRAME_HEADER + bodySize(r);
  }

  /** Writes one record's frame at {@code out}'s position. */
  static void write(ByteBuffer out, StateRecord r) {
    int start = out.position();
    out.put(MAGIC).putInt(0).putInt(0);
    body(out, r);
    int length = out.position() - start - FRAME_HEADER;
    out.putInt(start + 1, length);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), out.arrayOffset() + start, 5);
    crc.update(out.array(), out.arrayOffset() + start + FRAME_HEADER, length);
    out.putInt(start + 5, (int) crc.getValue());
  }

  private static int bodySize(StateRecord r) {
    return 1
        + switch (r) {
          case StateRecord.Open o -> 8;
          case StateRecord.Cursor c -> names(c.group(), c.topic()) + 12;
          case StateRecord.Done d -> {
            int n = names(d.group(), d.topic()) + 8 + 8 * d.ranges().length + 4;
            for (StateRecord.Processed p : d.keys()) {
              n += 2 + utf8Length(p.key()) + 8;
            }
            yield n;
          }
          case StateRecord.Entries e -> names(e.group(), e.topic()) + 8 + 28 * e.entries().size();
          case StateRecord.Started s -> names(s.group(), s.topic()) + 20 + 8 * s.ranges().length;
          default -> throw new IllegalArgumentException("version 1 only: " + r);
        };
  }

  private static int names(String group, String topic) {
    return 4 + utf8Length(group) + utf8Length(topic);
  }

  private static void body(ByteBuffer out, StateRecord r) {
    switch (r) {
      case StateRecord.Open o -> out.put((byte) 1).putLong(o.epoch());
      case StateRecord.Cursor c -> {
        head(out, 2, c.group(), c.topic(), c.partition());
        out.putLong(c.committed());
      }
      case StateRecord.Done d -> {
        head(out, 3, d.group(), d.topic(), d.partition());
        ranges(out, d.ranges());
        out.putInt(d.keys().size());
        for (StateRecord.Processed p : d.keys()) {
          string(out, p.key());
          out.putLong(p.at());
        }
      }
      case StateRecord.Entries e -> {
        head(out, 4, e.group(), e.topic(), e.partition());
        out.putInt(e.entries().size());
        for (EntryState s : e.entries()) {
          out.putLong(s.offset()).putInt(s.attempts());
          out.putLong(s.firstDeliveredAt()).putLong(s.nextVisible());
        }
      }
      case StateRecord.Started s -> {
        head(out, 5, s.group(), s.topic(), s.partition());
        out.putInt(s.attempts()).putLong(s.firstDeliveredAt());
        ranges(out, s.ranges());
      }
      default -> throw new IllegalArgumentException("version 1 only: " + r);
    }
  }

  private static void head(ByteBuffer out, int type, String group, String topic, int partition) {
    out.put((byte) type);
    string(out, group);
    string(out, topic);
    out.putInt(partition);
  }

  private static void ranges(ByteBuffer out, long[] ranges) {
    out.putInt(ranges.length / 2);
    for (long v : ranges) {
      out.putLong(v);
    }
  }

  private static void string(ByteBuffer out, String s) {
    int at = out.position();
    out.putShort((short) 0);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.position(at).putShort((short) b.length).put(b);
        return;
      }
      out.put((byte) c);
    }
    out.putShort(at, (short) s.length());
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------------------------- reading

  /**
   * The whole frame's size (header included) if the header at {@code buf.position()} is plausible
   * for either version (magic, and a length within limits and within {@code available} bytes), else
   * -1. Only the header is looked at; {@link #check} then verifies the CRC.
   */
  public static int frameSize(ByteBuffer buf, long available) {
    int p = buf.position();
    if (buf.remaining() < 1) {
      return -1;
    }
    byte first = buf.get(p);
    int header = first == MAGIC ? FRAME_HEADER : StateCodecV1.FRAME_HEADER;
    if (buf.remaining() < header || (first != MAGIC && (first < 0 || first > 4))) {
      return -1;
    }
    int length = buf.getInt(first == MAGIC ? p + 1 : p);
    if (length < 1 || length > MAX_FRAME || length > available - header) {
      return -1;
    }
    return header + length;
  }

  /** Whether the whole frame at {@code buf.position()} (of {@link #frameSize}) has a valid CRC. */
  public static boolean check(ByteBuffer buf, int frameSize) {
    int p = buf.position();
    CRC32C crc = new CRC32C();
    if (buf.get(p) == MAGIC) {
      crc.update(buf.slice(p, 5));
      crc.update(buf.slice(p + FRAME_HEADER, frameSize - FRAME_HEADER));
      return (int) crc.getValue() == buf.getInt(p + 5);
    }
    crc.update(buf.slice(p + StateCodecV1.FRAME_HEADER, frameSize - StateCodecV1.FRAME_HEADER));
    return (int) crc.getValue() == buf.getInt(p + 4);
  }

  /**
   * The body length of the whole, CRC-valid frame at the buffer's position, or -1 (kept for tests
   * that walk a journal).
   */
  public static int checkFrame(ByteBuffer buf) {
    int size = frameSize(buf, buf.remaining());
    if (size < 0 || !check(buf, size)) {
      return -1;
    }
    return size - (buf.get(buf.position()) == MAGIC ? FRAME_HEADER : StateCodecV1.FRAME_HEADER);
  }

  /** Whether the frame at the position is a version 1 frame (read only to migrate). */
  static boolean isV1(ByteBuffer buf) {
    return buf.get(buf.position()) != MAGIC;
  }

  /**
   * Decodes the CRC-checked frame at {@code buf}'s position (of {@link #frameSize}) into {@code
   * out}: one record, or for a version 1 frame possibly two.
   */
  static void decode(ByteBuffer buf, int frameSize, Consumer<StateRecord> out) throws IOException {
    int p = buf.position();
    if (isV1(buf)) {
      StateCodecV1.decode(buf.slice(p + StateCodecV1.FRAME_HEADER, frameSize - 8), out);
      return;
    }
    ByteBuffer in = buf.slice(p + FRAME_HEADER, frameSize - FRAME_HEADER);
    try {
      out.accept(body(in));
    } catch (RuntimeException e) {
      throw new IOException("undecodable state record: " + e, e);
    }
  }

  private static StateRecord body(ByteBuffer in) throws IOException {
    int type = in.get();
    if (type == 1) {
      return new StateRecord.Open(in.getLong());
    }
    String g = string(in);
    String t = string(in);
    int p = in.getInt();
    return switch (type) {
      case 2 -> new StateRecord.Cursor(g, t, p, in.getLong());
      case 3 -> {
        long[] ranges = ranges(in);
        int k = count(in, 10);
        List<StateRecord.Processed> keys = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
          keys.add(new StateRecord.Processed(string(in), in.getLong()));
        }
        yield new StateRecord.Done(g, t, p, ranges, keys);
      }
      case 4 -> {
        int n = count(in, 28);
        List<EntryState> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(new EntryState(in.getLong(), in.getInt(), in.getLong(), in.getLong()));
        }
        yield new StateRecord.Entries(g, t, p, list);
      }
      case 5 -> {
        int attempts = in.getInt();
        long first = in.getLong();
        yield new StateRecord.Started(g, t, p, attempts, first, ranges(in));
      }
      default -> throw new IOException("unknown state record type " + type);
    };
  }

  /** A count of items of at least {@code bytes} each, checked against what the body holds. */
  private static int count(ByteBuffer in, int bytes) throws IOException {
    int n = in.getInt();
    if (n < 0 || (long) n * bytes > in.remaining()) {
      throw new IOException("count " + n + " exceeds the record");
    }
    return n;
  }

  private static long[] ranges(ByteBuffer in) throws IOException {
    int n = count(in, 16);
    long[] ranges = new long[2 * n];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = in.getLong();
    }
    return ranges;
  }

  private static String string(ByteBuffer in) {
    int n = Short.toUnsignedInt(in.getShort());
    byte[] b = new byte[n];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
