package io.sluice.storage.file.internal.state;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.io.Forceable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-state files in {@code <store>/state/}: {@code snapshot-<gen>.dat} (the whole state as
 * records) and {@code journal-<gen>.log} (records appended since), both in {@link StateCodec}'s
 * frames. State at open = the newest snapshot, then every journal of that generation or later, in
 * order, read frame by frame ({@link FrameReader}), never whole.
 *
 * <p><b>Positions.</b> A journal record's <i>position</i> is {@code generation << 40 | byte
 * offset}: it only grows, across rotations, and a record lost with a torn tail has a position at or
 * beyond the recovered end ({@link Opened#end}). The processed-key indexes use positions as their
 * log offsets.
 *
 * <p><b>Commit.</b> A change is one write of its records at the journal's end; under {@code SYNC}
 * the caller then waits for the group commit's force. <b>Compaction</b>: {@link #rotate} starts
 * journal {@code gen+1} (created, directory forced, the old one forced and closed); the caller then
 * writes the snapshot ({@link #snapshot}: {@code snapshot-<gen+1>.tmp}, forced), makes it durable
 * ({@link SnapshotWriter#commit}: renamed to {@code .dat}, directory forced) and only then {@link
 * #dropBefore deletes} the older generation. A crash at any step leaves either the old snapshot
 * with all its journals or the new one with its journal.
 */
public final class StateJournal implements Forceable {
  private static final Logger LOG = LoggerFactory.getLogger(StateJournal.class);

  /** Bits of a position that hold the byte offset within a journal. */
  static final int POSITION_BITS = 40;

  private final FileIo io;
  private final Path dir;
  private final FailStop failStop;
  private final ReentrantLock lock = new ReentrantLock();
  private final boolean mapped;
  private FileChannel channel;
  private long size;
  private long generation;

  /** Mapped appends: the current window of the journal, starting at byte {@link #mapBase}. */
  private MappedByteBuffer map;

  private long mapBase;

  private StateJournal(FileIo io, Path dir, FailStop failStop, boolean mapped) {
    this.io = io;
    this.dir = dir;
    this.failStop = failStop;
    this.mapped = mapped;
  }

  /**
   * The opened journal.
   *
   * @param end the position after the last valid record (records at or beyond it were lost)
   * @param sawV1 whether any frame read was version 1 (the state must be migrated)
   */
  public record Opened(StateJournal journal, long end, boolean sawV1) {}

  /**
   * Opens the state directory, passing every record to {@code sink}: the snapshot's with position
   * -1, the journals' with their positions. A bad frame at the end of the newest journal is a torn
   * write and is cut with a WARN. A bad frame followed by a valid one, or any bad frame in a
   * snapshot or an older journal, raises {@link StorageCorruptedException} naming file and
   * position; with {@code truncateCorrupt} the newest journal is cut there instead (losing the
   * state changes after it).
   *
   * @param mapped append through a memory mapping ({@code OS} and {@code INTERVAL}: a store into
   *     the page cache, which survives the death of the process, instead of a system call per
   *     change)
   */
  public static Opened open(
      FileIo io,
      Path dir,
      FailStop failStop,
      boolean truncateCorrupt,
      boolean mapped,
      FrameReader.Sink sink)
      throws IOException {
    Files.createDirectories(dir);
    StateJournal j = new StateJournal(io, dir, failStop, mapped);
    List<Long> snapshots = generations(dir, "snapshot-", ".dat");
    long base = snapshots.isEmpty() ? 0 : snapshots.get(snapshots.size() - 1);
    boolean v1 = false;
    if (!snapshots.isEmpty()) {
      v1 =
          FrameReader.read(
                  io,
                  j.file("snapshot-", base, ".dat"),
                  false,
                  false,
                  (r, p) -> {
                    sink.accept(r, -1);
                  })
              .sawV1();
    }
    List<Long> journals = generations(dir, "journal-", ".log");
    journals = journals.stream().filter(g -> g >= base).toList();
    long end = position(base, 0);
    for (int i = 0; i < journals.size(); i++) {
      boolean last = i == journals.size() - 1;
      long gen = journals.get(i);
      FrameReader.Result r =
          FrameReader.read(
              io,
              j.file("journal-", gen, ".log"),
              last,
              truncateCorrupt,
              (rec, p) -> sink.accept(rec, position(gen, p)));
      v1 |= r.sawV1();
      end = position(gen, r.end());
    }
    j.generation = journals.isEmpty() ? base : journals.get(journals.size() - 1);
    Path current = j.file("journal-", j.generation, ".log");
    j.channel =
        io.open(
            current, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    j.size = j.channel.size();
    if (journals.isEmpty()) {
      io.forceDirectory(dir);
    }
    return new Opened(j, end, v1);
  }

  /** The position of byte {@code offset} of journal {@code gen}. */
  static long position(long gen, long offset) {
    return gen << POSITION_BITS | offset;
  }

  private Path file(String prefix, long gen, String suffix) {
    return file(dir, prefix, gen, suffix);
  }

  /** The state file {@code <prefix><gen, 20 digits><suffix>} in {@code dir}. */
  static Path file(Path dir, String prefix, long gen, String suffix) {
    return dir.resolve(String.format("%s%020d%s", prefix, gen, suffix));
  }

  /** The generations of the state files {@code <prefix><gen><suffix>} in {@code dir}, ascending. */
  static List<Long> generations(Path dir, String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(suffix))
          .map(n -> n.substring(prefix.length(), n.length() - suffix.length()))
          .filter(n -> n.matches("\\d{20}"))
          .map(Long::parseLong)
          .sorted()
          .toList();
    }
  }

  /** Appends records with one write; returns the position of the first. */
  public long append(List<? extends StateRecord> records) {
    byte[] bytes = StateCodec.encode(records);
    lock.lock();
    try {
      failStop.check();
      long at = position(generation, size);
      if (mapped && bytes.length <= WINDOW / 4) {
        putMapped(bytes);
      } else {
        FileIo.writeFully(channel, ByteBuffer.wrap(bytes), size);
      }
      size += bytes.length;
      return at;
    } catch (IOException e) {
      throw failStop.fail("write to the state journal", e);
    } finally {
      lock.unlock();
    }
  }

  /** Bytes mapped at a time for mapped appends. */
  static final int WINDOW = 1 << 20;

  /**
   * Copies a change into the mapped window at the journal's end, mapping the next window (which
   * extends the file, sparse) when it does not fit. A crash leaves the window's unwritten tail as
   * zeros, cut at the next open like a torn write; a rotation or close cuts it first.
   */
  private void putMapped(byte[] bytes) throws IOException {
    if (map == null || size + bytes.length > mapBase + map.capacity()) {
      map = channel.map(FileChannel.MapMode.READ_WRITE, size, WINDOW);
      mapBase = size;
    }
    try {
      map.put((int) (size - mapBase), bytes);
    } catch (InternalError e) {
      // the JVM's report of SIGBUS on a mapped page: no space left for a sparse file's block
      throw new IOException("mapped write to the state journal failed (disk full?)", e);
    }
  }

  /** Stops mapped appends to the current journal: forces the window and cuts the zero tail. */
  private void unmap() throws IOException {
    MappedByteBuffer m = map;
    if (m != null) {
      map = null;
      m.force(0, (int) (size - mapBase));
      channel.truncate(size);
    }
  }

  /**
   * Forces the current journal (outside the lock: appends go on meanwhile). If compaction rotated
   * the journal and closed the channel under this force, {@link #rotate} forced that channel itself
   * before closing it, and later writes went to the new one: nothing is left to do.
   */
  @Override
  public void force() throws IOException {
    FileChannel ch;
    lock.lock();
    try {
      ch = channel;
      if (map != null) {
        map.force(0, (int) (size - mapBase)); // OS, INTERVAL: no group commit runs alongside
      }
    } finally {
      lock.unlock();
    }
    try {
      ch.force(false);
    } catch (java.nio.channels.ClosedChannelException e) {
      lock.lock();
      try {
        if (channel == ch) {
          throw e; // closed, not rotated
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Bytes in the current journal. */
  public long size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Starts the next journal generation and returns it; later appends go there. */
  public long rotate() throws IOException {
    lock.lock();
    try {
      long next = generation + 1;
      FileChannel ch =
          io.open(
              file("journal-", next, ".log"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
      try {
        io.forceDirectory(dir);
        unmap();
        channel.force(false);
      } catch (IOException e) {
        ch.close();
        throw failStop.fail("force the state journal before rotating it", e);
      }
      channel.close();
      channel = ch;
      size = 0;
      generation = next;
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** The position where generation {@code gen} starts (every earlier record is below it). */
  static long start(long gen) {
    return position(gen, 0);
  }

  /** Starts writing the snapshot of generation {@code gen} into {@code snapshot-<gen>.tmp}. */
  public SnapshotWriter snapshot(long gen) throws IOException {
    Path tmp = file("snapshot-", gen, ".tmp");
    FileChannel ch =
        io.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    return new SnapshotWriter(io, ch, tmp, file("snapshot-", gen, ".dat"), dir);
  }

  /** Deletes the snapshots and journals older than generation {@code gen}. */
  public void dropBefore(long gen) throws IOException {
    for (long old : generations(dir, "snapshot-", ".dat")) {
      if (old < gen) {
        io.delete(file("snapshot-", old, ".dat"));
      }
    }
    for (long old : generations(dir, "journal-", ".log")) {
      if (old < gen) {
        io.delete(file("journal-", old, ".log"));
      }
    }
  }

  /** Closes without forcing (a mapped window's zero tail stays, as after a crash). */
  void abandon() throws IOException {
    lock.lock();
    try {
      map = null;
      channel.close();
    } finally {
      lock.unlock();
    }
  }

  /** Forces and closes the journal (cut to its data). */
  public void close() throws IOException {
    lock.lock();
    try {
      if (channel.isOpen()) {
        unmap();
        channel.force(false);
        channel.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
