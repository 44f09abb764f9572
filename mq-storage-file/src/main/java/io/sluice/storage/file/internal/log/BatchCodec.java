package io.sluice.storage.file.internal.log;

import io.sluice.api.Header;
import io.sluice.api.Message;
import io.sluice.api.internal.Validation;
import io.sluice.spi.StoredMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk record format, version 1. A segment file ({@code .log}) is a sequence of batches; one
 * append call writes one batch per partition. All integers are big-endian; strings are UTF-8.
 *
 * <h2>Batch</h2>
 *
 * <table>
 *   <caption>Batch header (29 bytes)</caption>
 *   <tr><th>Offset</th><th>Size</th><th>Field</th><th>Meaning</th></tr>
 *   <tr><td>0</td><td>1</td><td>magic</td><td>format version, {@code 0x01}; 0 marks the end of
 *       data (zero-filled tail)</td></tr>
 *   <tr><td>1</td><td>4</td><td>length</td><td>bytes of the whole batch, header included;
 *       29 to {@link #MAX_BATCH_BYTES}</td></tr>
 *   <tr><td>5</td><td>4</td><td>crc</td><td>CRC-32C of bytes 9 to {@code length - 1} (everything
 *       after this field)</td></tr>
 *   <tr><td>9</td><td>8</td><td>baseOffset</td><td>offset of the first record</td></tr>
 *   <tr><td>17</td><td>4</td><td>count</td><td>records in the batch, at least 1; record {@code
 *       i} has offset {@code baseOffset + i}</td></tr>
 *   <tr><td>21</td><td>8</td><td>maxTimestamp</td><td>largest record timestamp, epoch
 *       milliseconds (age retention)</td></tr>
 *   <tr><td>29</td><td>…</td><td>records</td><td>{@code count} records, back to back</td></tr>
 * </table>
 *
 * <h2>Record</h2>
 *
 * <table>
 *   <caption>Record</caption>
 *   <tr><th>Size</th><th>Field</th><th>Meaning</th></tr>
 *   <tr><td>4</td><td>length</td><td>bytes of the record after this field</td></tr>
 *   <tr><td>8 + 4</td><td>timestamp</td><td>epoch seconds, then nanoseconds 0–999,999,999</td></tr>
 *   <tr><td>8 + 4</td><td>deliverAt</td><td>epoch seconds and nanoseconds; seconds {@code
 *       Long.MIN_VALUE} means none</td></tr>
 *   <tr><td>4 + n</td><td>key</td><td>length, then UTF-8 bytes; length -1 means no key</td></tr>
 *   <tr><td>4 + n</td><td>idempotencyKey</td><td>as key</td></tr>
 *   <tr><td>4</td><td>headerCount</td><td>then per header: 4-byte name length, name, 4-byte value
 *       length, value, in order</td></tr>
 *   <tr><td>4 + n</td><td>payload</td><td>length, then the bytes</td></tr>
 * </table>
 *
 * <p><b>Reading never trusts a length before the CRC holds:</b> a reader first checks the magic and
 * that {@code length} fits both {@link #MAX_BATCH_BYTES} and the bytes left in the file, then reads
 * exactly that many bytes and verifies the CRC, and only then parses records.
 */
public final class BatchCodec {
  /** Format version 1. */
  public static final byte MAGIC_V1 = 1;

  /** Bytes in a batch header. */
  public static final int HEADER_SIZE = 29;

  /** Largest batch (one append call's messages for one partition): 256 MiB. */
  public static final int MAX_BATCH_BYTES = 256 << 20;

  static final int LENGTH_AT = 1;
  static final int CRC_AT = 5;
  static final int BASE_OFFSET_AT = 9;
  static final int COUNT_AT = 17;
  static final int MAX_TIMESTAMP_AT = 21;

  private static final int RECORD_FIXED = 4 + 12 + 12 + 4 + 4 + 4 + 4;
  private static final long NO_INSTANT = Long.MIN_VALUE;
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private BatchCodec() {}

  /**
   * Bytes a message takes in a batch, its length prefix included, from its size as it counts
   * against {@code maxMessageBytes} ({@link Validation#encodedSize}: payload and strings in UTF-8)
   * and its number of headers.
   */
  public static long recordSize(long encodedSize, int headerCount) {
    return RECORD_FIXED + encodedSize + 8L * headerCount;
  }

  /**
   * Encodes one batch at {@code dst}'s position, which advances past it. A message without a
   * timestamp is stored with {@code now}.
   */
  public static void encode(
      ByteBuffer dst, long baseOffset, List<Message> messages, int from, int to, Instant now) {
    int start = dst.position();
    dst.position(start + HEADER_SIZE);
    long maxMillis = Long.MIN_VALUE;
    for (int i = from; i < to; i++) {
      Message m = messages.get(i);
      Instant ts = m.timestamp() == null ? now : m.timestamp();
      maxMillis = Math.max(maxMillis, ts.toEpochMilli());
      encodeRecord(dst, m, ts);
    }
    int end = dst.position();
    dst.put(start, MAGIC_V1);
    dst.putInt(start + LENGTH_AT, end - start);
    dst.putLong(start + BASE_OFFSET_AT, baseOffset);
    dst.putInt(start + COUNT_AT, to - from);
    dst.putLong(start + MAX_TIMESTAMP_AT, maxMillis);
    CRC32C crc = new CRC32C();
    crc.update(dst.slice(start + BASE_OFFSET_AT, end - start - BASE_OFFSET_AT));
    dst.putInt(start + CRC_AT, (int) crc.getValue());
  }

  private static void encodeRecord(ByteBuffer dst, Message m, Instant ts) {
    int lengthAt = dst.position();
    dst.position(lengthAt + 4);
    dst.putLong(ts.getEpochSecond()).putInt(ts.getNano());
    Instant at = m.deliverAt();
    dst.putLong(at == null ? NO_INSTANT : at.getEpochSecond())
        .putInt(at == null ? 0 : at.getNano());
    putString(dst, m.key());
    putString(dst, m.idempotencyKey());
    List<Header> headers = m.headers().asList();
    dst.putInt(headers.size());
    for (int i = 0; i < headers.size(); i++) {
      putString(dst, headers.get(i).name());
      putString(dst, headers.get(i).value());
    }
    dst.putInt(m.payload().length).put(m.payload());
    dst.putInt(lengthAt, dst.position() - lengthAt - 4);
  }

  private static void putString(ByteBuffer dst, String s) {
    if (s == null) {
      dst.putInt(-1);
      return;
    }
    int lengthAt = dst.position();
    dst.position(lengthAt + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst.put((byte) c);
      } else if (c < 0x800) {
        dst.put((byte) (0xc0 | c >> 6)).put((byte) (0x80 | c & 0x3f));
      } else if (Character.isHighSurrogate(c)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst.put((byte) (0xf0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3f));
        dst.put((byte) (0x80 | cp >> 6 & 0x3f)).put((byte) (0x80 | cp & 0x3f));
      } else {
        dst.put((byte) (0xe0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3f));
        dst.put((byte) (0x80 | c & 0x3f));
      }
    }
    dst.putInt(lengthAt, dst.position() - lengthAt - 4);
  }

  // ------------------------------------------------------------------------------------- reading

  /**
   * Checks a batch header at {@code pos} without trusting it: returns the batch length, or -1 when
   * the magic is wrong (0 = end of data) or the length is out of range for {@code available} bytes
   * left in the file. Needs {@link #HEADER_SIZE} bytes at {@code pos}.
   */
  public static int checkedLength(byte[] b, int pos, long available) {
    if (b[pos] != MAGIC_V1) {
      return -1;
    }
    int length = (int) INT.get(b, pos + LENGTH_AT);
    if (length < HEADER_SIZE + 4 || length > MAX_BATCH_BYTES || length > available) {
      return -1;
    }
    int count = (int) INT.get(b, pos + COUNT_AT);
    return count < 1 || count > length / 4 ? -1 : length;
  }

  /** Whether the CRC of the batch of {@code length} bytes at {@code pos} holds. */
  public static boolean crcHolds(byte[] b, int pos, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, pos + BASE_OFFSET_AT, length - BASE_OFFSET_AT);
    return (int) crc.getValue() == (int) INT.get(b, pos + CRC_AT);
  }

  /** The batch's base offset. */
  public static long baseOffset(byte[] b, int pos) {
    return (long) LONG.get(b, pos + BASE_OFFSET_AT);
  }

  /** The batch's record count. */
  public static int count(byte[] b, int pos) {
    return (int) INT.get(b, pos + COUNT_AT);
  }

  /** The batch's largest timestamp in epoch milliseconds. */
  public static long maxTimestamp(byte[] b, int pos) {
    return (long) LONG.get(b, pos + MAX_TIMESTAMP_AT);
  }

  /**
   * Decodes the records of a CRC-checked batch at {@code pos} whose offsets are in {@code [from,
   * until)}, at most {@code max} of them, into {@code out}. Returns how many were added.
   */
  public static int decode(
      byte[] b,
      int pos,
      long from,
      long until,
      int max,
      String topic,
      int part,
      List<StoredMessage> out) {
    long base = baseOffset(b, pos);
    int count = count(b, pos);
    int p = pos + HEADER_SIZE;
    int added = 0;
    RecordDecoder records = new RecordDecoder(b);
    for (int i = 0; i < count && added < max; i++) {
      long offset = base + i;
      int length = (int) INT.get(b, p);
      if (offset >= until) {
        break;
      }
      if (offset >= from) {
        out.add(new StoredMessage(topic, part, offset, records.decode(p + 4)));
        added++;
      }
      p += 4 + length;
    }
    return added;
  }
}
