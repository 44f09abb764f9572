package io.sluice.storage.file.internal.state;

import io.sluice.api.error.StorageCorruptedException;
import io.sluice.storage.file.internal.io.FailStop;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The paused consumer groups, in {@code <store>/pauses}: a small text file read at open and
 * replaced atomically on every change (write {@code pauses.tmp}, force it, rename it over {@code
 * pauses}, force the directory). Pausing is a rare admin operation, so one whole-file write per
 * change is simple and cannot leave half a change behind. Claims read the pauses without a lock.
 *
 * <p>Format (UTF-8): the line {@code sluice-pauses 1}; one line per pause, {@code <group> <topic>},
 * or {@code <group> *} for the whole group, sorted; then {@code crc32c <8 hex digits>}, the CRC-32C
 * of every byte before that line. Names never contain a space or {@code *}. A file that fails the
 * check is reported as {@link StorageCorruptedException}.
 */
public final class Pauses {
  /** The file's name in the store directory. */
  public static final String FILE = "pauses";

  private static final String HEADER = "sluice-pauses 1";
  private static final String ALL_TOPICS = "*";
  private static final String CRC = "crc32c ";

  private final FileIo io;
  private final Path dir;
  private final FailStop failStop;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Map<String, Set<String>> byGroup;

  private Pauses(FileIo io, Path dir, FailStop failStop, Map<String, Set<String>> byGroup) {
    this.io = io;
    this.dir = dir;
    this.failStop = failStop;
    this.byGroup = byGroup;
  }

  /** Reads {@code <dir>/pauses} (none: nothing is paused) and drops a temp file left by a crash. */
  public static Pauses open(FileIo io, Path dir, FailStop failStop) throws IOException {
    io.delete(dir.resolve(FILE + ".tmp"));
    Path file = dir.resolve(FILE);
    Map<String, Set<String>> read = Files.exists(file) ? parse(file) : Map.of();
    return new Pauses(io, dir, failStop, read);
  }

  /**
   * Reads {@code <dir>/pauses} without writing anything (a store held by another process may be
   * replacing it: its rename is atomic, so the file read is the old or the new one, whole).
   */
  public static Pauses read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    Map<String, Set<String>> read;
    try {
      read = parse(file);
    } catch (java.nio.file.NoSuchFileException e) {
      read = Map.of();
    }
    return new Pauses(null, dir, null, read);
  }

  /** Whether the group is paused for the topic (or, with a null topic, group-wide). */
  public boolean isPaused(String group, String topic) {
    Set<String> topics = byGroup.get(group);
    return topics != null
        && (topics.contains(ALL_TOPICS) || (topic != null && topics.contains(topic)));
  }

  /**
   * Pauses or resumes a group for one topic ({@code topic} non-null) or for all; resuming the whole
   * group clears its topic pauses too. Durable when it returns; a failed write fails the store.
   */
  public void set(String group, String topic, boolean paused) {
    lock.lock();
    try {
      Map<String, Set<String>> next = new HashMap<>(byGroup);
      Set<String> topics = new HashSet<>(next.getOrDefault(group, Set.of()));
      if (paused) {
        topics.add(topic == null ? ALL_TOPICS : topic);
      } else if (topic == null) {
        topics.clear();
      } else {
        topics.remove(topic);
      }
      if (topics.isEmpty()) {
        next.remove(group);
      } else {
        next.put(group, Set.copyOf(topics));
      }
      if (next.equals(byGroup)) {
        return;
      }
      failStop.check();
      write(next);
      byGroup = Map.copyOf(next);
    } catch (IOException e) {
      throw failStop.fail("write " + dir.resolve(FILE), e);
    } finally {
      lock.unlock();
    }
  }

  private void write(Map<String, Set<String>> pauses) throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    Set<String> lines = new TreeSet<>();
    pauses.forEach((g, topics) -> topics.forEach(t -> lines.add(g + ' ' + t)));
    lines.forEach(line -> text.append(line).append('\n'));
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] crc = (CRC + crcOf(body, body.length) + '\n').getBytes(StandardCharsets.UTF_8);
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch =
        io.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      FileIo.writeFully(ch, ByteBuffer.wrap(body), 0);
      FileIo.writeFully(ch, ByteBuffer.wrap(crc), body.length);
      ch.force(true);
    }
    io.move(tmp, dir.resolve(FILE));
    io.forceDirectory(dir);
  }

  private static String crcOf(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return String.format("%08x", crc.getValue());
  }

  private static Map<String, Set<String>> parse(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int crcLine = text.lastIndexOf('\n', text.length() - 2) + 1;
    boolean framed =
        text.startsWith(HEADER + '\n') && text.endsWith("\n") && crcLine > HEADER.length();
    String stored = framed ? text.substring(crcLine, text.length() - 1) : "";
    int bodyBytes = framed ? text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8).length : 0;
    if (!framed || !stored.equals(CRC + crcOf(bytes, bodyBytes))) {
      throw new StorageCorruptedException(file, 0, "the pauses file fails its check");
    }
    Map<String, Set<String>> out = new HashMap<>();
    String[] lines = text.substring(HEADER.length() + 1, crcLine).split("\n");
    for (String line : lines) {
      int space = line.indexOf(' ');
      if (space > 0) {
        String group = line.substring(0, space);
        out.computeIfAbsent(group, g -> new HashSet<>()).add(line.substring(space + 1));
      }
    }
    Map<String, Set<String>> frozen = new HashMap<>();
    out.forEach((g, topics) -> frozen.put(g, Set.copyOf(topics)));
    return Map.copyOf(frozen);
  }
}
