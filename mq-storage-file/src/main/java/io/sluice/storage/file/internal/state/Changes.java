package io.sluice.storage.file.internal.state;

import io.sluice.storage.file.internal.state.StateRecord.EntryState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal records of one settlement call of one group in one topic, gathered per partition:
 * acked offsets become ranges (one {@link StateRecord.Done} record per partition, with the
 * processed keys of those acks), started run members one {@link StateRecord.Started} record per
 * run, other entries one {@link StateRecord.Entries} record.
 */
final class Changes {
  private final GroupTopic g;
  private final List<Part> parts = new ArrayList<>(1);

  /** One partition's changes. */
  private static final class Part {
    final int partition;
    long[] done = new long[0];
    int doneCount;
    List<StateRecord.Processed> keys = List.of();
    List<EntryState> entries = List.of();
    Map<LeaseRun, long[]> started = Map.of();

    /** The run last given to {@link #started} and its offsets (consecutive calls share runs). */
    LeaseRun lastRun;

    long[] lastOffsets;

    Part(int partition) {
      this.partition = partition;
    }
  }

  Changes(GroupTopic g) {
    this.g = g;
  }

  private Part part(int partition) {
    Part last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
    if (last != null && last.partition == partition) {
      return last;
    }
    for (Part p : parts) {
      if (p.partition == partition) {
        return p;
      }
    }
    Part p = new Part(partition);
    parts.add(p);
    return p;
  }

  boolean isEmpty() {
    return parts.isEmpty();
  }

  /** An acked offset, with its processed key (or null) recorded at {@code now}. */
  void done(int partition, long offset, String processedKey, long now) {
    Part p = part(partition);
    if (p.doneCount == p.done.length) {
      p.done = Arrays.copyOf(p.done, Math.max(8, p.doneCount * 2));
    }
    p.done[p.doneCount++] = offset;
    if (processedKey != null) {
      p.keys = p.keys.isEmpty() ? new ArrayList<>() : p.keys;
      p.keys.add(new StateRecord.Processed(processedKey, now));
    }
  }

  /** An entry's new state. */
  void entry(int partition, EntryState state) {
    Part p = part(partition);
    p.entries = p.entries.isEmpty() ? new ArrayList<>() : p.entries;
    p.entries.add(state);
  }

  /** A run member whose handler started. */
  void started(int partition, LeaseRun run, long offset) {
    Part p = part(partition);
    long[] offsets;
    if (p.lastRun == run) {
      offsets = p.lastOffsets;
    } else {
      p.started = p.started.isEmpty() ? new IdentityHashMap<>() : p.started;
      offsets = p.started.get(run);
    }
    if (offsets == null) {
      // room for every member of a usual run (a call starts each at most once): no regrowth
      offsets = new long[Math.min(run.span, 1024) + 1];
      p.started.put(run, offsets);
    }
    int n = (int) offsets[0];
    if (n + 1 == offsets.length) {
      offsets = Arrays.copyOf(offsets, 2 * offsets.length);
      p.started.put(run, offsets);
    }
    offsets[++n] = offset;
    offsets[0] = n;
    p.lastRun = run;
    p.lastOffsets = offsets;
  }

  /** The records, per partition: done ranges, entries, started runs. */
  List<StateRecord> records() {
    List<StateRecord> out = new ArrayList<>(parts.size());
    for (Part p : parts) {
      if (p.doneCount > 0) {
        out.add(
            new StateRecord.Done(
                g.group, g.topic, p.partition, ranges(p.done, 0, p.doneCount), p.keys));
      }
      if (!p.entries.isEmpty()) {
        out.add(new StateRecord.Entries(g.group, g.topic, p.partition, p.entries));
      }
      for (Map.Entry<LeaseRun, long[]> e : p.started.entrySet()) {
        long[] offsets = e.getValue();
        LeaseRun r = e.getKey();
        out.add(
            new StateRecord.Started(
                g.group,
                g.topic,
                p.partition,
                1,
                r.firstDeliveredAt,
                ranges(offsets, 1, (int) offsets[0] + 1)));
      }
    }
    return out;
  }

  /** The offsets {@code values[from, to)} as sorted, merged half-open ranges. */
  static long[] ranges(long[] values, int from, int to) {
    boolean sorted = true;
    for (int i = from + 1; i < to && sorted; i++) {
      sorted = values[i] > values[i - 1];
    }
    if (!sorted) {
      Arrays.sort(values, from, to);
    }
    int n = 0;
    long[] out = new long[2 * (to - from)];
    for (int i = from; i < to; i++) {
      if (n > 0 && values[i] <= out[n - 1]) {
        out[n - 1] = Math.max(out[n - 1], values[i] + 1);
      } else {
        out[n++] = values[i];
        out[n++] = values[i] + 1;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
