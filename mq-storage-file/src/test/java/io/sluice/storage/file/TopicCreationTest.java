package io.sluice.storage.file;

import static io.sluice.storage.file.StoreFixture.config;
import static io.sluice.storage.file.StoreFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.TopicConfig;
import io.sluice.api.error.StorageFailedException;
import io.sluice.spi.tck.SettableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic creation is atomic: a crash in the middle leaves no half-made topic (F9). */
class TopicCreationTest {
  @TempDir Path dir;
  final SettableClock clock = new SettableClock();
  final FaultyIo io = new FaultyIo();

  /**
   * Issue 10.9: a topic creation interrupted by a crash (here: before its configuration is renamed
   * into place) leaves nothing that later opens warn about; a directory an older version left with
   * no configuration and no data is removed; one holding data is kept.
   */
  @Test
  void anInterruptedTopicCreationLeavesNothingBehind() throws Exception {
    Path topics = dir.resolve("topics");
    try (FileStorage s = open(config(dir, clock), io)) {
      io.failMove = p -> p.startsWith(topics);
      assertThatThrownBy(() -> s.createTopic("orders.dlq", TopicConfig.defaults()))
          .isInstanceOf(StorageFailedException.class);
      s.abandon();
    }
    java.nio.file.Files.createDirectories(topics.resolve("old"));
    java.nio.file.Files.writeString(topics.resolve("old").resolve("topic.properties.tmp"), "x");
    Path data = topics.resolve("kept").resolve("0").resolve("00000000000000000000.log");
    java.nio.file.Files.createDirectories(data.getParent());
    java.nio.file.Files.write(data, new byte[] {1, 2, 3});
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.listTopics()).isEmpty();
      try (var left = java.nio.file.Files.list(topics)) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("kept");
      }
      s.createTopic("orders.dlq", TopicConfig.defaults());
      assertThat(s.listTopics()).extracting(t -> t.name()).containsExactly("orders.dlq");
    }
    try (FileStorage s = open(config(dir, clock))) {
      assertThat(s.listTopics()).extracting(t -> t.name()).containsExactly("orders.dlq");
    }
  }
}
