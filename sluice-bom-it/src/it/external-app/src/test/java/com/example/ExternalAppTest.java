package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.storage.file.FileStorage;
import io.sluice.storage.file.FileStorageConfig;
import io.sluice.storage.jdbc.JdbcStorage;
import io.sluice.storage.jdbc.JdbcStorageConfig;
import io.sluice.spi.Storage;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an application that imports only sluice-bom gets, and that it works. */
class ExternalAppTest {
  @TempDir Path dir;

  @Test
  void sendsAndReceivesOnTheEmbeddedFileStore() throws Exception {
    try (FileStorage storage = FileStorage.open(FileStorageConfig.builder(dir).build())) {
      roundTrip(storage);
    }
  }

  @Test
  void sendsAndReceivesOnH2WithoutAPostgresDriverOnTheClasspath() throws Exception {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.postgresql.Driver"));
    try (JdbcStorage storage =
        JdbcStorage.create(
            "jdbc:h2:mem:external;DB_CLOSE_DELAY=-1", "sa", "", JdbcStorageConfig.defaults())) {
      roundTrip(storage);
    }
  }

  @Test
  void jacksonIsTheVersionSluiceWasTestedWith() {
    String resolved = tools.jackson.databind.json.JsonMapper.builder().build().version().toString();
    assertEquals(System.getProperty("jackson.tested"), resolved);
  }

  private static void roundTrip(Storage storage) throws InterruptedException {
    try (Sluice sluice = Sluice.builder().storage(storage).build()) {
      sluice.admin().createTopic("orders", TopicConfig.partitions(2));
      sluice.producer().send("orders", Message.of("o-1 paid"));
      CountDownLatch handled = new CountDownLatch(1);
      ConsumerGroup group =
          sluice.consumer("billing").subscribe("orders").handler(d -> handled.countDown()).start();
      assertTrue(handled.await(60, TimeUnit.SECONDS), "the message reached the handler");
      group.close();
    }
  }
}
