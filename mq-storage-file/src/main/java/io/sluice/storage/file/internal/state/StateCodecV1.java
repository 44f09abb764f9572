package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The group-state format version 1, read only to migrate a store written by an earlier release: on
 * open its records are replayed, then a version 2 snapshot is written and made durable, and only
 * then are the version 1 files deleted (an ordinary compaction).
 *
 * <p>A frame is {@code length} (4 bytes, big-endian, body bytes), {@code crc} (4 bytes, CRC-32C of
 * the body), body: a type byte then the fields ({@code DataOutput} encoding: strings as modified
 * UTF-8 with a 2-byte length, instants as 8-byte seconds + 4-byte nanos with seconds {@code
 * Long.MIN_VALUE} for none).
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
 *
 * An Entries record is read as an {@link StateRecord.Entries} record of its undone entries followed
 * by a {@link StateRecord.Done} record of its done ones; Processed, Dedupe and Checkpoint records
 * become the {@code Legacy…} records that the migration puts into the dedupe indexes.
 */
final class StateCodecV1 {
  /** Frame header bytes. */
  static final int FRAME_HEADER = 8;

  private static final long NONE = Long.MIN_VALUE;

  private StateCodecV1() {}

  /** Decodes one CRC-checked body. */
  static void decode(ByteBuffer body, Consumer<StateRecord> out) throws IOException {
    byte[] bytes = new byte[body.remaining()];
    body.get(bytes);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    int type = in.readByte();
    switch (type) {
      case 1 -> out.accept(new StateRecord.Open(in.readLong()));
      case 2 ->
          out.accept(
              new StateRecord.Cursor(in.readUTF(), in.readUTF(), in.readInt(), in.readLong()));
      case 3 -> entries(in, out);
      case 4 ->
          out.accept(
              new StateRecord.LegacyProcessed(in.readUTF(), in.readUTF(), in.readUTF(), time(in)));
      case 5 -> {
        String topic = in.readUTF();
        String key = in.readUTF();
        int partition = in.readInt();
        long offset = in.readLong();
        long timestamp = time(in);
        out.accept(
            new StateRecord.LegacyDedupe(topic, key, partition, offset, timestamp, time(in)));
      }
      case 6 ->
          out.accept(new StateRecord.LegacyCheckpoint(in.readUTF(), in.readInt(), in.readLong()));
      default -> throw new IOException("unknown version 1 state record type " + type);
    }
  }

  private static void entries(DataInputStream in, Consumer<StateRecord> out) throws IOException {
    String g = in.readUTF();
    String t = in.readUTF();
    int p = in.readInt();
    int n = in.readInt();
    if (n < 0 || n > in.available() / 33) {
      throw new IOException("entry count " + n + " exceeds the record");
    }
    List<EntryState> undone = new ArrayList<>();
    OffsetRanges done = new OffsetRanges();
    for (int i = 0; i < n; i++) {
      long offset = in.readLong();
      boolean isDone = in.readBoolean();
      int attempts = in.readInt();
      long first = time(in);
      long next = time(in);
      if (isDone) {
        done.add(offset);
      } else {
        undone.add(new EntryState(offset, attempts, first, next));
      }
    }
    if (!undone.isEmpty()) {
      out.accept(new StateRecord.Entries(g, t, p, undone));
    }
    if (!done.isEmpty()) {
      long[] ranges = new long[2 * done.size()];
      for (int i = 0; i < done.size(); i++) {
        ranges[2 * i] = done.start(i);
        ranges[2 * i + 1] = done.end(i);
      }
      out.accept(new StateRecord.Done(g, t, p, ranges));
    }
  }

  private static long time(DataInputStream in) throws IOException {
    long s = in.readLong();
    int nanos = in.readInt();
    return s == NONE ? Micros.NONE : Micros.of(Instant.ofEpochSecond(s, nanos));
  }
}
