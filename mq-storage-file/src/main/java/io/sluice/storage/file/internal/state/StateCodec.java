package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte format of the group-state journal and snapshots, version 1. A file is a sequence of
 * frames: {@code length} (4 bytes, big-endian, bytes after the CRC), {@code crc} (4 bytes, CRC-32C
 * of the body), body: a type byte then the fields below ({@code DataOutput} encoding: strings as
 * modified UTF-8 with a 2-byte length, instants as 8-byte seconds + 4-byte nanos with seconds
 * {@code Long.MIN_VALUE} for none).
 *
 * <table>
 *   <caption>Record types</caption>
 *   <tr><th>Type</th><th>Fields</th></tr>
 *   <tr><td>1 Open</td><td>epoch</td></tr>
 *   <tr><td>2 Cursor</td><td>group, topic, partition (4), committed (8)</td></tr>
 *   <tr><td>3 Entries</td><td>group, topic, partition, count (4), then per entry: offset (8), done
 *       (1), attempts (4), firstDeliveredAt, nextVisible</td></tr>
 *   <tr><td>4 Processed</td><td>group, topic, key, at</td></tr>
 *   <tr><td>5 Dedupe</td><td>topic, key, partition, offset, timestamp, at</td></tr>
 *   <tr><td>6 Checkpoint</td><td>topic, partition, endOffset</td></tr>
 * </table>
 */
public final class StateCodec {
  /** Frame header bytes. */
  public static final int FRAME_HEADER = 8;

  /** Largest frame body accepted when reading: 64 MiB. */
  public static final int MAX_FRAME = 64 << 20;

  private static final long NONE = Long.MIN_VALUE;

  /** Encoded bytes of one entry of an Entries record. */
  private static final int ENTRY_BYTES = 8 + 1 + 4 + 12 + 12;

  private StateCodec() {}

  /** Encodes records as consecutive frames. */
  public static byte[] encode(List<? extends StateRecord> records) {
    try {
      FrameBuffer bytes = new FrameBuffer(estimate(records));
      DataOutputStream out = new DataOutputStream(bytes);
      for (StateRecord r : records) {
        int start = bytes.size();
        out.writeLong(0); // header, filled in by seal
        body(out, r);
        bytes.seal(start);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("in-memory encoding cannot fail", e);
    }
  }

  /** A first capacity large enough for most record lists, so the buffer rarely grows. */
  private static int estimate(List<? extends StateRecord> records) {
    long n = 0;
    for (StateRecord r : records) {
      n += FRAME_HEADER + 64;
      if (r instanceof StateRecord.Entries e) {
        n += (long) ENTRY_BYTES * e.entries().size();
      }
    }
    return (int) Math.min(n, MAX_FRAME);
  }

  private static void body(DataOutputStream out, StateRecord r) throws IOException {
    switch (r) {
      case StateRecord.Open o -> {
        out.writeByte(1);
        out.writeLong(o.epoch());
      }
      case StateRecord.Cursor c -> {
        out.writeByte(2);
        out.writeUTF(c.group());
        out.writeUTF(c.topic());
        out.writeInt(c.partition());
        out.writeLong(c.committed());
      }
      case StateRecord.Entries e -> {
        out.writeByte(3);
        out.writeUTF(e.group());
        out.writeUTF(e.topic());
        out.writeInt(e.partition());
        out.writeInt(e.entries().size());
        for (EntryState s : e.entries()) {
          out.writeLong(s.offset());
          out.writeBoolean(s.done());
          out.writeInt(s.attempts());
          instant(out, s.firstDeliveredAt());
          instant(out, s.nextVisible());
        }
      }
      case StateRecord.Processed p -> {
        out.writeByte(4);
        out.writeUTF(p.group());
        out.writeUTF(p.topic());
        out.writeUTF(p.key());
        instant(out, p.at());
      }
      case StateRecord.Dedupe d -> {
        out.writeByte(5);
        out.writeUTF(d.topic());
        out.writeUTF(d.key());
        out.writeInt(d.partition());
        out.writeLong(d.offset());
        instant(out, d.timestamp());
        instant(out, d.at());
      }
      case StateRecord.Checkpoint c -> {
        out.writeByte(6);
        out.writeUTF(c.topic());
        out.writeInt(c.partition());
        out.writeLong(c.endOffset());
      }
    }
  }

  private static void instant(DataOutputStream out, Instant t) throws IOException {
    out.writeLong(t == null ? NONE : t.getEpochSecond());
    out.writeInt(t == null ? 0 : t.getNano());
  }

  private static Instant instant(DataInputStream in) throws IOException {
    long s = in.readLong();
    int n = in.readInt();
    return s == NONE ? null : Instant.ofEpochSecond(s, n);
  }

  /**
   * The body length of the frame at the buffer's position if it is whole and its CRC holds, else
   * -1.
   */
  public static int checkFrame(ByteBuffer buf) {
    if (buf.remaining() < FRAME_HEADER) {
      return -1;
    }
    int p = buf.position();
    int length = buf.getInt(p);
    if (length < 1 || length > MAX_FRAME || length > buf.remaining() - FRAME_HEADER) {
      return -1;
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(p + FRAME_HEADER, length));
    return (int) crc.getValue() == buf.getInt(p + 4) ? length : -1;
  }

  /** Decodes one CRC-checked frame body. */
  public static StateRecord decode(byte[] body) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
    int type = in.readByte();
    return switch (type) {
      case 1 -> new StateRecord.Open(in.readLong());
      case 2 -> new StateRecord.Cursor(in.readUTF(), in.readUTF(), in.readInt(), in.readLong());
      case 3 -> {
        String g = in.readUTF();
        String t = in.readUTF();
        int p = in.readInt();
        int n = in.readInt();
        List<EntryState> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(
              new EntryState(
                  in.readLong(), in.readBoolean(), in.readInt(), instant(in), instant(in)));
        }
        yield new StateRecord.Entries(g, t, p, list);
      }
      case 4 -> new StateRecord.Processed(in.readUTF(), in.readUTF(), in.readUTF(), instant(in));
      case 5 ->
          new StateRecord.Dedupe(
              in.readUTF(), in.readUTF(), in.readInt(), in.readLong(), instant(in), instant(in));
      case 6 -> new StateRecord.Checkpoint(in.readUTF(), in.readInt(), in.readLong());
      default -> throw new IOException("unknown state record type " + type);
    };
  }

  /**
   * The output of {@link #encode}: frames are written in place, header first as a placeholder, then
   * {@link #seal} fills in the length and CRC, so no body is copied.
   */
  private static final class FrameBuffer extends ByteArrayOutputStream {
    FrameBuffer(int capacity) {
      super(capacity);
    }

    /** Fills in the header of the frame that starts at {@code start} and ends here. */
    void seal(int start) {
      int length = count - start - FRAME_HEADER;
      CRC32C crc = new CRC32C();
      crc.update(buf, start + FRAME_HEADER, length);
      ByteBuffer.wrap(buf, start, FRAME_HEADER).putInt(length).putInt((int) crc.getValue());
    }
  }
}
