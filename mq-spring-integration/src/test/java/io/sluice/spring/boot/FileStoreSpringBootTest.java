package io.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.spi.Storage;
import io.sluice.storage.file.FileStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole integration on the embedded file store in a temporary directory. */
@SpringBootTest(
    classes = TestApplication.class,
    properties = {
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "sluice.storage.file.durability=os",
      "management.endpoints.web.exposure.include=sluice"
    })
class FileStoreSpringBootTest extends ListenerScenarios {
  @TempDir static Path dir;

  @DynamicPropertySource
  static void directory(DynamicPropertyRegistry registry) {
    registry.add("sluice.storage.file.directory", () -> dir.resolve("store").toString());
  }

  @Autowired Storage storage;

  @Test
  void theStoreIsTheFileStoreInTheTemporaryDirectory() {
    assertThat(storage).isInstanceOf(FileStorage.class);
    assertThat(dir.resolve("store")).isDirectory();
  }
}
