package io.sluice.storage.file.internal.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the records read at open to a {@link GroupStateStore}: group state into its groups,
 * processed keys into their indexes (unless their checkpoint covers the record), and, for a version
 * 1 state being migrated, its producer keys into the producer indexes and its producer checkpoints
 * for the log rescan.
 */
final class StateReplay implements FrameReader.Sink {
  private final GroupStateStore s;
  private final Map<String, Long> legacyCheckpoints = new HashMap<>();
  private long maxEpoch;

  StateReplay(GroupStateStore s) {
    this.s = s;
  }

  @Override
  public void accept(StateRecord r, long position) {
    switch (r) {
      case StateRecord.Open o -> maxEpoch = Math.max(maxEpoch, o.epoch());
      case StateRecord.Cursor c -> s.groupTopic(c.group(), c.topic()).replay(r);
      case StateRecord.Entries e -> s.groupTopic(e.group(), e.topic()).replay(r);
      case StateRecord.Started st -> s.groupTopic(st.group(), st.topic()).replay(r);
      case StateRecord.Done d -> {
        GroupTopic g = s.groupTopic(d.group(), d.topic());
        g.replay(d);
        if (!d.keys().isEmpty()) {
          s.keys().replayProcessed(g, d.keys(), position);
        }
      }
      case StateRecord.LegacyProcessed p ->
          s.keys()
              .replayProcessed(
                  s.groupTopic(p.group(), p.topic()),
                  List.of(new StateRecord.Processed(p.key(), p.at())),
                  position);
      case StateRecord.LegacyDedupe d -> s.keys().migrate(d);
      case StateRecord.LegacyCheckpoint c ->
          legacyCheckpoints.put(c.topic() + "/" + c.partition(), c.endOffset());
    }
  }

  /** The highest epoch any Open record named. */
  long maxEpoch() {
    return maxEpoch;
  }

  /** A version 1 state's producer checkpoints, {@code topic/partition} to end offset. */
  Map<String, Long> legacyCheckpoints() {
    return legacyCheckpoints;
  }
}
