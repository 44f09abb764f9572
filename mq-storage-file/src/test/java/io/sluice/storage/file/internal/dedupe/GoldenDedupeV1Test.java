package io.sluice.storage.file.internal.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.file.internal.io.FileIo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index written by format version 1 ({@code src/test/resources/format/dedupe/v1/index}) must
 * still open and answer exactly. It was written once by {@link #write}: two buckets, two
 * partitions, a checkpoint, a truncation fence, and a put beyond the checkpoint left by a simulated
 * crash (so opening it adds a crash fence). Generate a new one only for a new format version, with
 * {@link #main}.
 */
class GoldenDedupeV1Test {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofDays(1);
  static final DedupeSpace.Settings SETTINGS = new DedupeSpace.Settings(4, 16, 1L << 30, 64);

  @TempDir Path tmp;

  /** Key → entry found when the golden index is opened at T0 + 7 h. */
  static Map<String, DedupeEntry> kept() {
    long t0 = T0.toEpochMilli();
    long t7h = T0.plus(Duration.ofHours(7)).toEpochMilli();
    return Map.of(
        "order-1", new DedupeEntry(0, 0, 1_767_225_000_000L, t0),
        "order-2/paid", new DedupeEntry(0, 1, -5, t0 + 1),
        "\uD83D\uDE00 emoji", new DedupeEntry(1, 0, 0, t0 + 2),
        "p1-one", new DedupeEntry(1, 1, Long.MAX_VALUE, t0 + 3),
        "later-bucket", new DedupeEntry(0, 2, 42, t7h));
  }

  /** Keys whose entries read as absent: truncated ("p1-two") or beyond the checkpoint. */
  static List<String> hidden() {
    return List.of("p1-two", "beyond-checkpoint");
  }

  /** Writes the golden index into {@code args[0]} (only for a new format version). */
  public static void main(String[] args) {
    write(Path.of(args[0]));
  }

  static void write(Path dir) {
    SettableClock clock = new SettableClock(T0);
    DedupeSpace space = new DedupeSpace(SETTINGS, clock, FileIo.DEFAULT);
    try (DedupeIndex index = space.open(dir, WINDOW)) {
      Map<String, DedupeEntry> kept = kept();
      for (String key : List.of("order-1", "order-2/paid", "\uD83D\uDE00 emoji", "p1-one")) {
        index.putIfAbsent(key, kept.get(key));
      }
      index.putIfAbsent("p1-two", new DedupeEntry(1, 2, 0, T0.toEpochMilli() + 4));
      index.advance(0, 1);
      index.advance(1, 2);
      index.checkpoint();
      index.truncate(1, 2);
      clock.set(T0.plus(Duration.ofHours(7)));
      index.putIfAbsent("later-bucket", kept.get("later-bucket"));
      index.advance(0, 2);
    }
    DedupeIndex crashed = space.open(dir, WINDOW);
    crashed.putIfAbsent("beyond-checkpoint", new DedupeEntry(0, 3, 0, clock.millis()));
    crashed.hashCode(); // dropped unclosed: a crash
  }

  @Test
  void theVersion1IndexStillOpensAndAnswers() throws IOException, URISyntaxException {
    Path golden = Path.of(getClass().getResource("/format/dedupe/v1/index").toURI());
    Path dir = tmp.resolve("index");
    copy(golden, dir);
    assertThat(names(dir))
        .containsExactly(
            "00000001767225600000-04.bucket", "00000001767247200000-04.bucket", "dedupe.meta");

    SettableClock clock = new SettableClock(T0.plus(Duration.ofHours(7)));
    DedupeSpace space = new DedupeSpace(SETTINGS, clock, FileIo.DEFAULT);
    try (DedupeIndex index = space.open(dir, WINDOW)) {
      kept().forEach((key, entry) -> assertThat(index.find(key)).as(key).isEqualTo(entry));
      hidden().forEach(key -> assertThat(index.find(key)).as(key).isNull());
      assertThat(index.checkpointOffset(0)).isEqualTo(2);
      assertThat(index.checkpointOffset(1)).isEqualTo(1);
      assertThat(index.putIfAbsent("order-1", new DedupeEntry(0, 9, 9, clock.millis())))
          .isEqualTo(kept().get("order-1"));
    }
    MetaFile.Loaded meta = MetaFile.read(FileIo.DEFAULT, golden.resolve(MetaFile.NAME));
    assertThat(meta.state().dirty()).isTrue();
    assertThat(meta.state().epoch()).isEqualTo(2);
    assertThat(meta.state().fences()).hasSize(1);
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
