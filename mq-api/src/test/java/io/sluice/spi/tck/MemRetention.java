package io.sluice.spi.tck;

import io.sluice.api.TopicConfig;
import java.time.Instant;
import java.util.List;

/** The retention rules of {@link InMemoryStorage}. */
final class MemRetention {
  private MemRetention() {}

  /** The lowest offset a partition must keep under its topic's retention rules. */
  static long retainFrom(MemTopic t, MemPartition p, List<MemGroup> gs, Instant now) {
    TopicConfig cfg = t.config();
    long from = p.logStart();
    if (cfg.retention() != null) {
      Instant cutoff = now.minus(cfg.retention());
      while (from < p.end() && p.get(from).message().timestamp().isBefore(cutoff)) {
        from++;
      }
    }
    if (cfg.retentionBytes() > 0) {
      long bytes = p.bytes();
      for (long o = p.logStart(); o < from; o++) {
        bytes -= p.sizeAt(o);
      }
      while (from < p.end() && bytes > cfg.retentionBytes()) {
        bytes -= p.sizeAt(from++);
      }
    }
    if (cfg.retainUntilConsumed()) {
      for (MemGroup g : gs) {
        MemGroup.Cursor c = g.cursor(p.id());
        from = Math.min(from, c == null ? p.logStart() : c.committed);
      }
    }
    return from;
  }
}
