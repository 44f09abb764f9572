package io.sluice.storage.jdbc.internal;

import io.sluice.api.Header;
import io.sluice.api.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Headers in the {@code headers} column: {@code null} for none, else a version byte ({@code 1}), a
 * 4-byte big-endian count, and per header a 4-byte name length, the name's UTF-8 bytes, a 4-byte
 * value length and the value's UTF-8 bytes. Order and repeated names are kept.
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
