package io.sluice.storage.file.internal.state;

import io.sluice.spi.GroupPartition;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The consumer groups' state read from a store directory without writing anything, for a read-only
 * view of a store that another process may hold open: the newest snapshot and the journals after it
 * are replayed into the same per-partition cursors the store keeps, and a bad frame at the end of
 * the newest journal (a torn write, or a frame being written now) ends the replay where it is. A
 * compaction that removes a file while it is being read makes the read start over.
 *
 * <p>Processed keys are known only from the journals (acks since the last compaction); the ones a
 * compaction moved into the dedupe index are not read.
 */
public final class StateView {
  private static final int HELD_LIMIT = 100_000;
  private static final int ATTEMPTS = 5;

  private final Map<String, Map<String, GroupTopic>> groups = new TreeMap<>();
  private final Map<String, Set<String>> processed = new HashMap<>();

  private StateView() {}

  /** Reads the state in {@code stateDir} (none there: no group has state). */
  public static StateView read(FileIo io, Path stateDir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        StateView v = new StateView();
        v.replay(io, stateDir);
        return v;
      } catch (NoSuchFileException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void replay(FileIo io, Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Long> snapshots = StateJournal.generations(dir, "snapshot-", ".dat");
    long base = snapshots.isEmpty() ? 0 : snapshots.get(snapshots.size() - 1);
    if (!snapshots.isEmpty()) {
      FrameReader.readWithoutRepair(
          io, StateJournal.file(dir, "snapshot-", base, ".dat"), false, this::accept);
    }
    List<Long> journals =
        StateJournal.generations(dir, "journal-", ".log").stream().filter(g -> g >= base).toList();
    for (int i = 0; i < journals.size(); i++) {
      boolean last = i == journals.size() - 1;
      FrameReader.readWithoutRepair(
          io, StateJournal.file(dir, "journal-", journals.get(i), ".log"), last, this::accept);
    }
  }

  private void accept(StateRecord r, long position) {
    switch (r) {
      case StateRecord.Cursor c -> groupTopic(c.group(), c.topic()).replay(r);
      case StateRecord.Entries e -> groupTopic(e.group(), e.topic()).replay(r);
      case StateRecord.Started s -> groupTopic(s.group(), s.topic()).replay(r);
      case StateRecord.Done d -> {
        groupTopic(d.group(), d.topic()).replay(d);
        Set<String> keys =
            processed.computeIfAbsent(d.group() + '\n' + d.topic(), k -> new HashSet<>());
        d.keys().forEach(k -> keys.add(k.key()));
      }
      case StateRecord.LegacyProcessed p ->
          processed
              .computeIfAbsent(p.group() + '\n' + p.topic(), k -> new HashSet<>())
              .add(p.key());
      default -> {}
    }
  }

  private GroupTopic groupTopic(String group, String topic) {
    return groups
        .computeIfAbsent(topic, t -> new TreeMap<>())
        .computeIfAbsent(group, g -> new GroupTopic(g, topic, HELD_LIMIT));
  }

  /** The groups with state in the topic, sorted by name. */
  public List<String> listGroups(String topic) {
    Map<String, GroupTopic> byGroup = groups.get(topic);
    return byGroup == null ? List.of() : List.copyOf(byGroup.keySet());
  }

  /**
   * A group's progress in one partition whose log holds {@code [logStart, end)}, as {@link
   * io.sluice.spi.Storage#groupState} reports it (no leases: they are not journaled).
   */
  public GroupPartition progress(
      String group, String topic, int partition, long logStart, long end, Instant now) {
    Map<String, GroupTopic> byGroup = groups.get(topic);
    GroupTopic g = byGroup == null ? null : byGroup.get(group);
    PartitionCursor c = g == null ? null : g.cursors.get(partition);
    long committed = logStart;
    long inFlight = 0;
    long doneAbove = 0;
    if (c != null) {
      committed = Math.min(Math.max(c.committed, logStart), Math.max(end, logStart));
      inFlight = c.inFlight(Micros.of(now));
      doneAbove = c.done.countFrom(committed);
    }
    long lag = Math.max(0, end - committed - doneAbove);
    return new GroupPartition(
        partition, committed, end, (int) Math.min(inFlight, Integer.MAX_VALUE), lag);
  }

  /** Whether a journal since the last compaction records this processed key. */
  public boolean isProcessed(String group, String topic, String key) {
    Set<String> keys = processed.get(group + '\n' + topic);
    return keys != null && keys.contains(key);
  }
}
