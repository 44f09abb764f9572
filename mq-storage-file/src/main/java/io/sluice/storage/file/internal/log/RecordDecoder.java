package io.sluice.storage.file.internal.log;

import io.sluice.api.Header;
import io.sluice.api.Headers;
import io.sluice.api.Message;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Turns the records of one CRC-checked batch into messages (record layout: {@link BatchCodec}).
 * Records of one batch often repeat their key and headers (one producer, one content type): a key,
 * a header or a whole header set whose bytes equal the previous record's is not decoded again but
 * shared, so it is neither copied nor checked a second time ({@link Header} and {@link Message} are
 * records: their constructors check every string they are given). One decoder per batch; not
 * thread-safe.
 */
final class RecordDecoder {
  private static final long NO_INSTANT = Long.MIN_VALUE;
  private static final Header[] NONE = new Header[0];
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] b;
  private Instant timestamp;
  private int keyAt = -1;
  private String key;
  private Headers headers = Headers.empty();
  private int[] headerAt = new int[0];
  private int[] headerEnd = new int[0];
  private Header[] header = NONE;

  RecordDecoder(byte[] b) {
    this.b = b;
  }

  /** The message of the record whose fields start at {@code p} (after its length). */
  Message decode(int p) {
    Instant ts = instant(p);
    long atSeconds = (long) LONG.get(b, p + 12);
    Instant deliverAt =
        atSeconds == NO_INSTANT ? null : Instant.ofEpochSecond(atSeconds, (int) INT.get(b, p + 20));
    int q = p + 24;
    String k = key(q);
    q += 4 + Math.max(0, (int) INT.get(b, q));
    String idem = string(q);
    q += 4 + Math.max(0, (int) INT.get(b, q));
    q = headers(q);
    int payloadLength = (int) INT.get(b, q);
    byte[] payload = Arrays.copyOfRange(b, q + 4, q + 4 + payloadLength);
    return new Message(payload, k, headers, ts, idem, deliverAt);
  }

  /** The timestamp at {@code p}; one batch usually shares one time, and then one instance. */
  private Instant instant(int p) {
    long seconds = (long) LONG.get(b, p);
    int nanos = (int) INT.get(b, p + 8);
    if (timestamp == null
        || timestamp.getEpochSecond() != seconds
        || timestamp.getNano() != nanos) {
      timestamp = Instant.ofEpochSecond(seconds, nanos);
    }
    return timestamp;
  }

  private String key(int q) {
    int length = (int) INT.get(b, q);
    if (length < 0) {
      return null;
    }
    if (keyAt < 0 || !same(keyAt, (int) INT.get(b, keyAt) + 4, q, length + 4)) {
      key = new String(b, q + 4, length, StandardCharsets.UTF_8);
      keyAt = q;
    }
    return key;
  }

  /** Decodes the header count and headers at {@code q} into {@link #headers}; returns their end. */
  private int headers(int q) {
    int count = (int) INT.get(b, q);
    if (count == 0) {
      headers = Headers.empty();
      header = NONE;
      return q + 4;
    }
    int[] at = new int[count];
    int[] until = new int[count];
    Header[] decoded = new Header[count];
    boolean allShared = count == header.length;
    int r = q + 4;
    for (int h = 0; h < count; h++) {
      at[h] = r;
      r += 4 + (int) INT.get(b, r);
      r += 4 + (int) INT.get(b, r);
      until[h] = r;
      boolean shared =
          h < header.length && same(headerAt[h], headerEnd[h] - headerAt[h], at[h], r - at[h]);
      decoded[h] =
          shared
              ? header[h]
              : new Header(string(at[h]), string(at[h] + 4 + (int) INT.get(b, at[h])));
      allShared &= shared;
    }
    if (!allShared) {
      headers = Headers.of(Arrays.asList(decoded));
    }
    headerAt = at;
    headerEnd = until;
    header = decoded;
    return r;
  }

  private boolean same(int from1, int length1, int from2, int length2) {
    return length1 == length2
        && Arrays.equals(b, from1, from1 + length1, b, from2, from2 + length2);
  }

  private String string(int p) {
    int length = (int) INT.get(b, p);
    return length < 0 ? null : new String(b, p + 4, length, StandardCharsets.UTF_8);
  }
}
