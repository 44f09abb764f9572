package io.sluice.storage.file.internal.dedupe;

import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** A clock, a space and helpers shared by the dedupe index tests. */
final class DedupeFixture {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofHours(1);

  /** 4 buckets of 15 minutes per hour, tables of 16 slots to start with. */
  static final DedupeSpace.Settings SMALL = new DedupeSpace.Settings(4, 16, 1L << 30, 4096);

  final SettableClock clock = new SettableClock(T0);
  final Path dir;
  DedupeSpace space;

  DedupeFixture(Path dir) {
    this(dir, SMALL);
  }

  DedupeFixture(Path dir, DedupeSpace.Settings settings) {
    this.dir = dir;
    this.space = new DedupeSpace(settings, clock, FileIo.DEFAULT);
  }

  DedupeIndex open() {
    return space.open(dir, WINDOW);
  }

  long now() {
    return clock.millis();
  }

  void advance(Duration d) {
    clock.set(clock.instant().plus(d));
  }

  /** An entry at {@code offset} of partition 0 accepted now. */
  DedupeEntry entry(long offset) {
    return new DedupeEntry(0, offset, 1_000 + offset, now());
  }

  List<Path> buckets() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(BucketFile.SUFFIX)).sorted().toList();
    }
  }

  /** Simulates a process crash: the instance is dropped unclosed (its mappings stay valid). */
  static void crash(DedupeIndex index) {
    index.hashCode(); // nothing to do: the next open sees the files as the crash left them
  }
}
