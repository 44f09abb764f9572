package io.sluice.storage.file.internal.state;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.io.FileIo;
import io.sluice.storage.file.internal.io.Forceable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-state files in {@code <store>/state/}: {@code snapshot-<gen>.dat} (the whole state as
 * records) and {@code journal-<gen>.log} (records appended since). State at open = the newest
 * snapshot, then every journal of that generation or later, in order.
 *
 * <p><b>Commit.</b> A change is one write of its records at the journal's end; under {@code SYNC}
 * the caller then waits for the group commit's force. <b>Compaction</b>: {@link #rotate} starts
 * journal {@code gen+1} (created, directory forced); the caller then captures the state and {@link
 * #writeSnapshot} writes {@code snapshot-<gen+1>.tmp}, forces it, renames it to {@code .dat},
 * forces the directory, and only then deletes the older generation. A crash at any step leaves
 * either the old snapshot with all its journals or the new one with its journal.
 */
public final class StateJournal implements Forceable {
  private static final Logger LOG = LoggerFactory.getLogger(StateJournal.class);

  private final FileIo io;
  private final Path dir;
  private final FailStop failStop;
  private final ReentrantLock lock = new ReentrantLock();
  private FileChannel channel;
  private long size;
  private long generation;

  private StateJournal(FileIo io, Path dir, FailStop failStop) {
    this.io = io;
    this.dir = dir;
    this.failStop = failStop;
  }

  /** The opened journal and the records to replay, oldest first. */
  public record Loaded(StateJournal journal, List<StateRecord> records) {}

  /**
   * Opens the state directory. A bad frame at the end of the newest journal is a torn write and is
   * cut with a WARN. A bad frame followed by a valid one, or any bad frame in a snapshot or an
   * older journal, raises {@link StorageCorruptedException} naming file and position; with {@code
   * truncateCorrupt} the newest journal is cut there instead (losing the state changes after it).
   */
  public static Loaded open(FileIo io, Path dir, FailStop failStop, boolean truncateCorrupt)
      throws IOException {
    Files.createDirectories(dir);
    StateJournal j = new StateJournal(io, dir, failStop);
    List<Long> snapshots = generations(dir, "snapshot-", ".dat");
    long base = snapshots.isEmpty() ? 0 : snapshots.get(snapshots.size() - 1);
    List<StateRecord> records = new ArrayList<>();
    if (!snapshots.isEmpty()) {
      readFrames(j.file("snapshot-", base, ".dat"), records, false, false, io);
    }
    List<Long> journals = generations(dir, "journal-", ".log");
    journals = journals.stream().filter(g -> g >= base).toList();
    for (int i = 0; i < journals.size(); i++) {
      boolean last = i == journals.size() - 1;
      readFrames(j.file("journal-", journals.get(i), ".log"), records, last, truncateCorrupt, io);
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
    return new Loaded(j, records);
  }

  private Path file(String prefix, long gen, String suffix) {
    return dir.resolve(String.format("%s%020d%s", prefix, gen, suffix));
  }

  private static List<Long> generations(Path dir, String prefix, String suffix) throws IOException {
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

  private static void readFrames(
      Path file, List<StateRecord> out, boolean tail, boolean truncateCorrupt, FileIo io)
      throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(all);
    while (buf.hasRemaining()) {
      int length = StateCodec.checkFrame(buf);
      if (length < 0) {
        if (!tail) {
          throw new StorageCorruptedException(file, buf.position(), "state frame fails its CRC");
        }
        if (!truncateCorrupt && validFrameAfter(buf)) {
          throw new StorageCorruptedException(
              file, buf.position(), "state frame fails its CRC before valid frames");
        }
        LOG.warn(
            "state journal {}: cut {} bytes of torn or invalid data at position {}",
            file,
            buf.remaining(),
            buf.position());
        try (FileChannel ch = io.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(buf.position());
          ch.force(true);
        }
        return;
      }
      byte[] body = new byte[length];
      buf.position(buf.position() + StateCodec.FRAME_HEADER);
      buf.get(body);
      out.add(StateCodec.decode(body));
    }
  }

  /** Whether a CRC-valid frame starts anywhere after the bad one at {@code buf}'s position. */
  private static boolean validFrameAfter(ByteBuffer buf) {
    ByteBuffer scan = buf.duplicate();
    for (int p = buf.position() + 1; p <= buf.limit() - StateCodec.FRAME_HEADER; p++) {
      scan.position(p);
      if (StateCodec.checkFrame(scan) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Appends records with one write. */
  public void append(List<? extends StateRecord> records) {
    byte[] bytes = StateCodec.encode(records);
    lock.lock();
    try {
      failStop.check();
      FileIo.writeFully(channel, ByteBuffer.wrap(bytes), size);
      size += bytes.length;
    } catch (IOException e) {
      throw failStop.fail("write to the state journal", e);
    } finally {
      lock.unlock();
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

  /** Writes the snapshot of generation {@code gen} atomically, then drops older generations. */
  public void writeSnapshot(long gen, List<StateRecord> state) throws IOException {
    Path tmp = file("snapshot-", gen, ".tmp");
    Path dat = file("snapshot-", gen, ".dat");
    try (FileChannel ch =
        io.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      FileIo.writeFully(ch, ByteBuffer.wrap(StateCodec.encode(state)), 0);
      ch.force(true);
    }
    io.move(tmp, dat);
    io.forceDirectory(dir);
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

  /** Closes without forcing. */
  void abandon() throws IOException {
    lock.lock();
    try {
      channel.close();
    } finally {
      lock.unlock();
    }
  }

  /** Forces and closes the journal. */
  public void close() throws IOException {
    lock.lock();
    try {
      if (channel.isOpen()) {
        channel.force(false);
        channel.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
