package io.sluice.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's snippet, compiled and run. */
class FileStorageReadmeTest {
  @TempDir Path queueDir;

  @Test
  void openAppendClose() {
    FileStorageConfig config =
        FileStorageConfig.builder(queueDir)
            .durability(Durability.SYNC) // the default
            .build();
    try (FileStorage store = FileStorage.open(config)) {
      store.createTopic("orders", TopicConfig.partitions(4));
      store.append("orders", List.of(OutgoingMessage.of(Message.of("paid"))));
    }
    try (FileStorage store = FileStorage.open(config)) {
      long stored =
          store.describeTopic("orders").partitions().stream().mapToLong(p -> p.endOffset()).sum();
      assertThat(stored).isEqualTo(1);
    }
  }
}
