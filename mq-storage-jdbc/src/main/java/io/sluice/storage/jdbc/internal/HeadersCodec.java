package io.sluice.storage.jdbc.internal;

import io.sluice.api.Header;
import io.sluice.api.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Headers in the {@code headers} column, {@code null} for none; order and repeated names are kept.
 *
 * <ul>
 *   <li><b>JSON</b> (PostgreSQL, {@code jsonb} since schema V4, so SQL can read them): an array of
 *       {@code [name, value]} pairs, {@code [["sluice.dlq.reason", "failed"], ...]}.
 *   <li><b>Binary</b> (H2; PostgreSQL before V4): a version byte ({@code 1}), a 4-byte big-endian
 *       count, and per header a 4-byte name length, the name's UTF-8 bytes, a 4-byte value length
 *       and the value's UTF-8 bytes.
 * </ul>
 */
final class HeadersCodec {
  private static final byte VERSION = 1;

  private HeadersCodec() {}

  static byte[] encode(Headers headers) {
    if (headers.isEmpty()) {
      return null;
    }
    List<byte[]> parts = new ArrayList<>(headers.size() * 2);
    int size = 1 + 4;
    for (Header h : headers.asList()) {
      byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
      byte[] value = h.value().getBytes(StandardCharsets.UTF_8);
      parts.add(name);
      parts.add(value);
      size += 8 + name.length + value.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size).put(VERSION).putInt(headers.size());
    for (byte[] part : parts) {
      buf.putInt(part.length).put(part);
    }
    return buf.array();
  }

  /** The column value to bind: JSON text or binary, as the dialect stores headers. */
  static Object encode(Headers headers, boolean json) {
    return json ? encodeJson(headers) : encode(headers);
  }

  /** Decodes a column value as read by {@code getObject}: bytes, or JSON text of any type. */
  static Headers decodeColumn(Object value) {
    if (value == null) {
      return Headers.empty();
    }
    if (value instanceof byte[] bytes) {
      return decode(bytes);
    }
    return decodeJson(value.toString());
  }

  static String encodeJson(Headers headers) {
    if (headers.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(16 * headers.size()).append('[');
    for (Header h : headers.asList()) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('[');
      quote(out, h.name());
      out.append(',');
      quote(out, h.value());
      out.append(']');
    }
    return out.append(']').toString();
  }

  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Parses {@code [[name, value], ...]} as written by {@link #encodeJson} or PostgreSQL. */
  static Headers decodeJson(String json) {
    JsonReader r = new JsonReader(json);
    List<Header> list = new ArrayList<>();
    r.expect('[');
    if (!r.peek(']')) {
      do {
        r.expect('[');
        String name = r.string();
        r.expect(',');
        String value = r.string();
        r.expect(']');
        list.add(new Header(name, value));
      } while (r.next(','));
    }
    r.expect(']');
    return Headers.of(list);
  }

  /** Just enough JSON for arrays of string pairs. */
  private static final class JsonReader {
    private final String s;
    private int i;

    JsonReader(String s) {
      this.s = s;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean peek(char c) {
      skip();
      return i < s.length() && s.charAt(i) == c;
    }

    boolean next(char c) {
      if (peek(c)) {
        i++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!next(c)) {
        throw new IllegalStateException("headers JSON: expected '" + c + "' at " + i);
      }
    }

    String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> out.append(e); // \" \\ \/
        }
      }
    }
  }

  static Headers decode(byte[] bytes) {
    if (bytes == null) {
      return Headers.empty();
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    byte version = buf.get();
    if (version != VERSION) {
      throw new IllegalStateException("unknown headers format version " + version);
    }
    int count = buf.getInt();
    List<Header> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(new Header(string(buf), string(buf)));
    }
    return Headers.of(list);
  }

  private static String string(ByteBuffer buf) {
    byte[] b = new byte[buf.getInt()];
    buf.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
